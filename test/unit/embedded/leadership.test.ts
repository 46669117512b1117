/**
 * Leadership over a lock table shared by two fake processes (the store's advisory lock is tested
 * against a real PostgreSQL in test/unit/postgres/leader-lock.test.ts): polling takes a free lead,
 * a stopped leader hands it over, an unreachable database leads nobody.
 */
import { describe, expect, it } from 'vitest';
import { LEAD_POLL_MS, Leadership } from '../../../src/embedded/index.js';
import { OcidexError } from '../../../src/domain/errors.js';
import type { ServiceLogger } from '../../../src/runtime/index.js';
import { ManualTimers } from './manual-timers.js';

/** Session locks by name, as PostgreSQL keeps them: one holder each. */
class LockTable {
  readonly holders = new Map<string, string>();
  reachable = true;

  session(process: string) {
    return {
      tryLead: (name: string): boolean => {
        if (!this.reachable) throw new OcidexError('index_unavailable', 'the index database is unavailable');
        const holder = this.holders.get(name) ?? process;
        this.holders.set(name, holder);
        return holder === process;
      },
      releaseLead: (name: string): boolean => this.holders.get(name) === process && this.holders.delete(name),
    };
  }
}

function recordingLogger(lines: string[]): ServiceLogger {
  return {
    info: (message) => lines.push(message),
    error: (message) => lines.push(`error: ${message}`),
  };
}

describe('Leadership', () => {
  it('lets one of two processes lead; the other takes over within one poll after the leader stops', async () => {
    const locks = new LockTable();
    const timers = new ManualTimers(0);
    const logA: string[] = [];
    const a = new Leadership({ index: locks.session('a'), timers, logger: recordingLogger(logA) });
    const b = new Leadership({ index: locks.session('b'), timers });
    a.start();
    b.start();
    await Promise.resolve();
    expect([a.leading, b.leading]).toEqual([true, false]);
    expect([a.check(), b.check()]).toEqual([true, false]);
    a.stop();
    expect(locks.holders.size).toBe(0);
    expect(a.check()).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    timers.advance(LEAD_POLL_MS);
    expect(b.leading).toBe(true);
    expect(logA).toEqual(['lead taken']);
  });

  it('leads nobody while the database is unreachable, and leads again when it is back', () => {
    const locks = new LockTable();
    const lines: string[] = [];
    const leadership = new Leadership({ index: locks.session('a'), logger: recordingLogger(lines) });
    expect(leadership.check()).toBe(true);
    locks.reachable = false;
    expect(leadership.check()).toBe(false);
    expect(leadership.check()).toBe(false);
    locks.reachable = true;
    expect(leadership.check()).toBe(true);
    expect(lines).toEqual(['lead taken', 'error: lead unknown: index unreachable', 'lead lost', 'lead taken']);
  });

  it('runs onPoll after each poll and keeps polling when it fails', async () => {
    const locks = new LockTable();
    const timers = new ManualTimers(0);
    const lines: string[] = [];
    let polls = 0;
    const leadership = new Leadership({
      index: locks.session('a'),
      timers,
      pollMs: 500,
      logger: recordingLogger(lines),
      onPoll: async () => {
        polls += 1;
        if (polls === 1) throw new Error('registry list failed');
      },
    });
    leadership.start();
    for (let round = 0; round < 3; round += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      timers.advance(500);
    }
    expect(polls).toBe(4);
    expect(lines).toContain('error: poll failed');
    leadership.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(timers.armed).toBe(0);
  });
});
