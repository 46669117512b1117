/** The repository unit's decisions (two-level change detection), tested directly: no registry, no Redis. */
import { describe, expect, it } from 'vitest';
import { repositoryFingerprint } from '../../../src/crawl/fingerprint.js';
import { finalFingerprint, planRepository, referrerSubjects } from '../../../src/crawl/repository-plan.js';
import type { RepositoryState } from '../../../src/store/index.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const SIG = `sha256-${'a'.repeat(64)}.sig`;

function state(tags: Array<[string, string]>, fingerprint: string | null = null): RepositoryState {
  return { fingerprint, tags: new Map(tags) } as RepositoryState;
}

const nothingIndexed = () => false;

describe('planRepository', () => {
  it('fetches every version digest of a repository never seen, with its tags', () => {
    const plan = planRepository(
      state([]),
      {
        tags: [
          ['v1', A],
          ['latest', A],
          ['v2', B],
        ],
        failed: [],
      },
      nothingIndexed,
    );
    expect(plan.unchanged).toBe(false);
    expect(plan.fresh).toEqual([
      [A, ['v1', 'latest']],
      [B, ['v2']],
    ]);
    expect(plan.known).toEqual([]);
    expect(plan.fingerprint).toBe(
      repositoryFingerprint(
        new Map([
          ['v1', A],
          ['latest', A],
          ['v2', B],
        ]),
      ),
    );
  });

  it('skips a repository whose fingerprint equals the stored one (level 1)', () => {
    const tags: Array<[string, string]> = [['v1', A]];
    const stored = repositoryFingerprint(new Map(tags));
    const plan = planRepository(state(tags, stored), { tags, failed: [] }, (digest) => digest === A);
    expect(plan.unchanged).toBe(true);
    expect(plan.known).toEqual([A]);
  });

  it('never fetches a digest already indexed (level 2)', () => {
    const plan = planRepository(
      state([['v1', A]], 'old'),
      {
        tags: [
          ['v1', A],
          ['v2', B],
        ],
        failed: [],
      },
      (d) => d === A,
    );
    expect(plan.known).toEqual([A]);
    expect(plan.fresh).toEqual([[B, ['v2']]]);
  });

  it('keeps the last known digest of a tag whose HEAD failed, and marks the fingerprint incomplete', () => {
    const plan = planRepository(
      state([
        ['v1', A],
        ['v2', B],
      ]),
      { tags: [['v1', A]], failed: ['v2', 'v3'] },
      nothingIndexed,
    );
    expect(new Map(plan.tags)).toEqual(
      new Map([
        ['v1', A],
        ['v2', B],
      ]),
    );
    expect(plan.fingerprint.startsWith('incomplete:')).toBe(true);
    expect(plan.unchanged).toBe(false);
  });

  it('does not count attachment tags as versions but names the subject whose attachment moved', () => {
    const plan = planRepository(
      state([['v1', A]]),
      {
        tags: [
          ['v1', A],
          [SIG, C],
        ],
        failed: [],
      },
      nothingIndexed,
    );
    expect(plan.fresh).toEqual([[A, ['v1']]]);
    expect(plan.attachmentSubjects).toEqual([A]);
  });
});

describe('referrerSubjects', () => {
  const plan = planRepository(
    state([]),
    {
      tags: [
        ['v1', A],
        ['v2', B],
        [SIG, C],
      ],
      failed: [],
    },
    (d) => d === A,
  );

  it('lists indexed and fetched versions with the referrers API', () => {
    expect(referrerSubjects(plan, [B], true)).toEqual(new Set([A, B]));
  });

  it('lists only fetched digests and moved attachment subjects without it', () => {
    expect(referrerSubjects(plan, [B], false)).toEqual(new Set([B, A]));
    expect(referrerSubjects({ ...plan, attachmentSubjects: [] }, [B], false)).toEqual(new Set([B]));
  });

  it('lists nothing for an unchanged repository without the API, every version with it', () => {
    const unchanged = { ...plan, unchanged: true };
    expect(referrerSubjects(unchanged, [], false)).toEqual(new Set());
    expect(referrerSubjects(unchanged, [], true)).toEqual(new Set([A, B]));
  });
});

describe('finalFingerprint', () => {
  it('marks a fingerprint incomplete once, when an item failed', () => {
    expect(finalFingerprint({ fingerprint: 'f' }, true)).toBe('f');
    expect(finalFingerprint({ fingerprint: 'f' }, false)).toBe('incomplete:f');
    expect(finalFingerprint({ fingerprint: 'incomplete:f' }, false)).toBe('incomplete:f');
  });
});
