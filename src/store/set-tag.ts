/** setTag: one tag pushed to a registry (a push event), without a crawl of the repository. */
import type { IndexContext } from './context.js';
import { rematerialize } from './materialize.js';

/**
 * Points `tag` at `digest`, recording a tag_event and re-materializing the `tags` of the
 * document it left and of the one it now names (either may not be indexed). Setting a tag to
 * the digest it already names changes nothing. Returns true when the tag changed.
 */
export function setTag(context: IndexContext, repositoryId: number, tag: string, digest: string, at: string): boolean {
  const { statements } = context;
  const before = statements.selectTag.get(repositoryId, tag) ?? null;
  if (before === digest) return false;
  statements.upsertTag.run(repositoryId, tag, digest, at);
  statements.insertTagEvent.run(repositoryId, tag, before, digest, null, at);
  if (before !== null) rematerialize(context, repositoryId, before, at);
  rematerialize(context, repositoryId, digest, at);
  return true;
}
