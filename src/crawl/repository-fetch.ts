/**
 * The registry reads of the repository unit, with no index access, so a fetch worker that
 * cannot see the index runs them as they are: resolve every tag by HEAD, and list the
 * referrers of a set of subjects. Errors are collected per item, never thrown, except when
 * the tag list itself cannot be read.
 */
import type { ReferrerSummary } from '../domain/document.js';
import { forEachConcurrent } from './concurrency.js';
import type { FetchContext } from './context.js';
import type { ResolvedTags } from './repository-plan.js';
import { resolveReferrers } from './referrers-unit.js';

/** tag -> digest by HEAD; tags whose HEAD failed are listed in `failed` (the plan keeps their last digest). */
export async function resolveTags(context: FetchContext, job: { repository: string }): Promise<ResolvedTags> {
  const names: string[] = [];
  for await (const tag of context.client.listTags(job.repository, { signal: context.signal })) names.push(tag);
  const tags: Array<[string, string]> = [];
  const failed: string[] = [];
  await forEachConcurrent(names, context.limits.manifestConcurrency, async (tag) => {
    try {
      const head = await context.client.resolveManifest(job.repository, tag, context.signal);
      if (head !== null) tags.push([tag, head.digest]);
    } catch (error) {
      context.errors.add(job.repository, tag, error);
      failed.push(tag);
    }
  }, context.signal);
  return { tags, failed };
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
  await forEachConcurrent(subjects, context.limits.manifestConcurrency, async (subject) => {
    try {
      referrers.push([subject, await resolveReferrers(context, { ...job, subject, tags })]);
    } catch (error) {
      context.errors.add(job.repository, subject, error);
      complete = false;
    }
  }, context.signal);
  return { referrers, complete };
}
