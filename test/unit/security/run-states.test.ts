/**
 * Finding 7 of issue 11: a crawl whose end could not be recorded stayed `running` until a
 * restart. The end is kept and written once the index takes writes again; runs belong to an
 * owner process, and only a gone owner's runs are aborted.
 */
import { nativeSqlite } from '../../support/sqlite-native.js';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { emptyCounts, type CrawlSummary } from '../../../src/domain/crawl.js';
import { openIndex, ownerAlive, RUN_LEASE_MS } from '../../../src/store/index.js';
import { PENDING_RETRY_MS } from '../../../src/store/run-keeper.js';
import { deadOwner, liveOwner } from '../../support/run-owners.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

let temp: TempIndex | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

function summary(registry: string): CrawlSummary {
  const at = new Date().toISOString();
  return {
    registry,
    counts: emptyCounts(),
    errorsByCode: {},
    requests: { total: 0, byOperation: {} },
    startedAt: at,
    finishedAt: at,
    durationMs: 1,
    status: 'succeeded',
    fatal: null,
  };
}

describe('run ends the index could not take (finding 7)', () => {
  it('regression: a run stayed running when its end failed on a read-only index; it is written once writable', () => {
    temp = tempIndex();
    const { index } = temp;
    const run = index.startRun('r.example', {});
    expect(index.writable()).toBe(true);
    nativeSqlite(index.db).pragma('query_only = ON'); // SQLite refuses every write, as on a read-only file
    expect(index.writable()).toBe(false);
    expect(() => index.finishRun(run, summary('r.example'))).toThrow(
      expect.objectContaining({ code: 'index_unavailable' }),
    );
    expect(index.getRun(run)?.status).toBe('running');
    expect(index.retryRunEnds()).toEqual([]);
    nativeSqlite(index.db).pragma('query_only = OFF');
    expect(index.retryRunEnds()).toEqual([run]);
    expect(index.getRun(run)?.status).toBe('succeeded');
  });

  it('tries a kept end again every PENDING_RETRY_MS by itself, and stops once it is written', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    temp = tempIndex();
    const { index } = temp;
    const run = index.startRun('r.example', {});
    nativeSqlite(index.db).pragma('query_only = ON');
    expect(() => index.finishRun(run, summary('r.example'))).toThrow(
      expect.objectContaining({ code: 'index_unavailable' }),
    );
    vi.advanceTimersByTime(PENDING_RETRY_MS);
    expect(index.getRun(run)?.status).toBe('running');
    nativeSqlite(index.db).pragma('query_only = OFF');
    vi.advanceTimersByTime(PENDING_RETRY_MS);
    expect(index.getRun(run)?.status).toBe('succeeded');
    expect(index.retryRunEnds()).toEqual([]);
    // The heartbeat's timer is left; the retry timer is gone.
    expect(vi.getTimerCount()).toBe(1);
  });

  it('writes a kept end at close when the index takes it again (a full index, by max_page_count)', () => {
    temp = tempIndex();
    const run = temp.index.startRun('r.example', {});
    const pages = nativeSqlite(temp.index.db).pragma('page_count', { simple: true }) as number;
    nativeSqlite(temp.index.db).pragma(`max_page_count = ${pages}`);
    const big = {
      ...summary('r.example'),
      errorsByCode: { internal: 1 },
      fatal: { code: 'internal' as const, message: 'x'.repeat(200_000) },
    };
    expect(() => temp!.index.finishRun(run, big)).toThrow(expect.objectContaining({ code: 'index_unavailable' }));
    nativeSqlite(temp.index.db).pragma(`max_page_count = ${pages * 1000}`);
    temp.index.close();
    const reopened = openIndex(temp.path);
    try {
      expect(reopened.getRun(run)).toMatchObject({ status: 'succeeded', summary: { fatal: { code: 'internal' } } });
    } finally {
      reopened.close();
    }
  });
});

describe('the writability probe of /readyz', () => {
  it('says writable while another connection holds the write lock (busy is not broken)', () => {
    temp = tempIndex();
    const other = new Database(temp.path);
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(temp.index.writable()).toBe(true);
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect(nativeSqlite(temp.index.db).pragma('busy_timeout', { simple: true })).toBe(5_000);
  });
});

describe('run owners (finding 7)', () => {
  it('records this process as the owner of the runs it starts', () => {
    temp = tempIndex();
    const run = temp.index.getRun(temp.index.startRun('r.example', {}));
    expect(run?.owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(ownerAlive(run!.owner, run!.heartbeatAt)).toBe(true);
  });

  it('a live process on this host owns its runs; an exited one, a pid reused by the reader, or none does not', async () => {
    const live = liveOwner();
    try {
      expect(ownerAlive(live.owner, null)).toBe(true);
    } finally {
      await live.kill();
    }
    expect(ownerAlive(live.owner, null)).toBe(false);
    expect(ownerAlive(deadOwner(), new Date().toISOString())).toBe(false);
    expect(ownerAlive({ id: 'previous', pid: process.pid, host: hostname() }, new Date().toISOString())).toBe(false);
    expect(ownerAlive(null, null)).toBe(false);
  });

  it('an owner on another host is alive while its heartbeat is within the lease', () => {
    const remote = { id: 'remote', pid: 1, host: 'another-host.invalid' };
    const now = Date.parse('2026-01-01T00:10:00Z');
    expect(ownerAlive(remote, new Date(now - RUN_LEASE_MS / 2).toISOString(), undefined, now)).toBe(true);
    expect(ownerAlive(remote, new Date(now - RUN_LEASE_MS - 1).toISOString(), undefined, now)).toBe(false);
  });
});
