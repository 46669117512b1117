/**
 * The registry reads of the repository unit, with no index access, so a fetch worker that
 * cannot see the index runs them as they are: resolve every tag by HEAD, and list the
 * referrers of a set of subjects. Errors are collected per item, never thrown, except when
 * the tag list itself cannot be read.
 */
import type { ReferrerSummary } from '../domain/document.js';
import { isOcidexError } from '../domain/errors.js';
import { forEachConcurrent } from './concurrency.js';
import type { FetchContext } from './context.js';
import type { ResolvedTags } from './repository-plan.js';
import type { PrefetchedManifests } from './prefetched-reader.js';
import { resolveReferrers } from './referrers-unit.js';

/**
 * tag -> digest by HEAD; tags whose HEAD failed are listed in `failed` (the plan keeps their
 * last digest). Given `prefetch` (a repository the index has never seen, whose manifests are
 * all to be fetched), each tag is read by GET instead and its manifest kept there.
 */
export async function resolveTags(
  context: FetchContext,
  job: { repository: string },
  prefetch?: PrefetchedManifests,
): Promise<ResolvedTags> {
  const names: string[] = [];
  for await (const tag of context.client.listTags(job.repository, { signal: context.signal })) names.push(tag);
  const tags: Array<[string, string]> = [];
  const failed: string[] = [];
  await forEachConcurrent(
    names,
    context.limits.manifestConcurrency,
    async (tag) => {
      try {
        const digest = prefetch
          ? await getByTag(context, job.repository, tag, prefetch)
          : (await context.client.resolveManifest(job.repository, tag, context.signal))?.digest;
        if (digest !== undefined) tags.push([tag, digest]);
      } catch (error) {
        context.errors.add(job.repository, tag, error);
        failed.push(tag);
      }
    },
    context.signal,
  );
  return { tags, failed };
}

/** The digest of `tag` by GET (its body kept in `prefetch`), or undefined when it is gone. */
async function getByTag(
  context: FetchContext,
  repository: string,
  tag: string,
  prefetch: PrefetchedManifests,
): Promise<string | undefined> {
  try {
    const manifest = await context.client.fetchManifest(repository, tag, context.signal);
    prefetch.put(manifest);
    return manifest.digest;
  } catch (error) {
    if (isOcidexError(error, 'manifest_unknown')) return undefined;
    throw error;
  }
}

/** The referrers of each subject; `complete` is false when a listing failed (its error collected). */
export async function listSubjectReferrers(
  context: FetchContext,
  job: { registry: string; repository: string },
  subjects: ReadonlySet<string>,
  tags: ReadonlyMap<string, string>,
): Promise<{ referrers: Array<[string, ReferrerSummary[]]>; complete: boolean }> {
  const referrers: Array<[string, ReferrerSummary[]]> = [];
  let complete = true;
  await forEachConcurrent(
    subjects,
    context.limits.manifestConcurrency,
    async (subject) => {
      try {
        referrers.push([subject, await resolveReferrers(context, { ...job, subject, tags })]);
      } catch (error) {
        context.errors.add(job.repository, subject, error);
        complete = false;
      }
    },
    context.signal,
  );
  return { referrers, complete };
}
