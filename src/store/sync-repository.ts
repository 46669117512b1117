/** syncRepository: a repository's tag list as crawled becomes the index's, then GC. */
import type { IndexContext } from './context.js';
import { collectGarbage } from './collect-garbage.js';
import { rematerialize } from './materialize.js';

/** One repository's tags as listed by a crawl. */
export interface SyncInput {
  registry: string;
  repository: string;
  /** tag -> digest, every tag of the repository. */
  tags: Map<string, string>;
  /** The level-1 change-detection watermark, saved last. */
  fingerprint: string;
  runId?: number | null;
  at: string;
}

/** What a sync changed. */
export interface SyncResult {
  tagsAdded: number;
  tagsMoved: number;
  tagsRemoved: number;
  documentsRemoved: number;
}

/** Applies `input` to repository `repositoryId`; call inside one transaction. */
export function syncRepository(context: IndexContext, repositoryId: number, input: SyncInput): SyncResult {
  const counts = applyTags(context, repositoryId, input);
  const { removed, survivors } = collectGarbage(context, repositoryId, input.tags.values());
  const tagsOf = tagsByDigest(input.tags);
  for (const document of survivors) {
    // Compare with what the document shows, not with the old table: this also heals documents
    // put with the crawler's tags before the table knew them.
    const expected = JSON.stringify(tagsOf.get(document.digest) ?? []);
    if (document.tags !== expected) rematerialize(context, repositoryId, document.digest, input.at);
  }
  context.statements.updateFingerprint.run(input.fingerprint, input.at, repositoryId);
  return { ...counts, documentsRemoved: removed };
}

/** Updates the tags table to `input.tags`, recording a tag_event per change. */
function applyTags(
  context: IndexContext,
  repositoryId: number,
  input: SyncInput,
): Omit<SyncResult, 'documentsRemoved'> {
  const { statements } = context;
  const old = new Map(statements.selectTags.all(repositoryId).map((row) => [row.name, row.digest]));
  const counts = { tagsAdded: 0, tagsMoved: 0, tagsRemoved: 0 };
  const names = [...new Set([...old.keys(), ...input.tags.keys()])].sort();
  for (const name of names) {
    const before = old.get(name) ?? null;
    const after = input.tags.get(name) ?? null;
    if (before === after) continue;
    if (after === null) {
      statements.deleteTag.run(repositoryId, name);
      counts.tagsRemoved += 1;
    } else {
      statements.upsertTag.run(repositoryId, name, after, input.at);
      if (before === null) counts.tagsAdded += 1;
      else counts.tagsMoved += 1;
    }
    statements.insertTagEvent.run(repositoryId, name, before, after, input.runId ?? null, input.at);
  }
  return counts;
}

/** digest -> its tags, sorted as `withAttachments` sorts them. */
function tagsByDigest(tags: Map<string, string>): Map<string, string[]> {
  const byDigest = new Map<string, string[]>();
  for (const [name, digest] of tags) byDigest.set(digest, [...(byDigest.get(digest) ?? []), name]);
  for (const names of byDigest.values()) names.sort();
  return byDigest;
}
