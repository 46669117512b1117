import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/embedded/index.js';
import { MAX_TIMER_DELAY_MS, nextFireTime, type ServiceLogger } from '../../../src/runtime/index.js';
import { ManualTimers } from './manual-timers.js';

const START = Date.parse('2025-03-01T10:00:00.000Z');

function setup(fire: (id: string) => Promise<unknown> = async () => undefined, mayFire?: () => boolean) {
  const timers = new ManualTimers(START);
  const fired: Array<{ id: string; at: string }> = [];
  const errors: string[] = [];
  const logger: ServiceLogger = {
    info() {},
    error: (message, fields) => errors.push(`${message} ${JSON.stringify(fields)}`),
  };
  const scheduler = new Scheduler(
    async (id) => {
      fired.push({ id, at: new Date(timers.now()).toISOString() });
      return fire(id);
    },
    { timers, logger, mayFire },
  );
  return { timers, fired, errors, scheduler };
}

describe('nextFireTime', () => {
  it('computes the next fire in UTC, with 5 or 6 (seconds) fields', () => {
    expect(new Date(nextFireTime('0 */6 * * *', START)).toISOString()).toBe('2025-03-01T12:00:00.000Z');
    expect(new Date(nextFireTime('30 * * * * *', START)).toISOString()).toBe('2025-03-01T10:00:30.000Z');
    expect(new Date(nextFireTime('0 12 * * *', Date.parse('2025-03-01T12:00:00.000Z'))).toISOString()).toBe(
      '2025-03-02T12:00:00.000Z',
    );
    expect(() => nextFireTime('61 * * * *', START)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('Scheduler', () => {
  it('fires at each computed time and arms the next one', () => {
    const { timers, fired, scheduler } = setup();
    scheduler.set('local', '*/10 * * * *');
    expect(scheduler.nextFire('local')).toBe(Date.parse('2025-03-01T10:10:00.000Z'));
    timers.advance(25 * 60_000);
    expect(fired).toEqual([
      { id: 'local', at: '2025-03-01T10:10:00.000Z' },
      { id: 'local', at: '2025-03-01T10:20:00.000Z' },
    ]);
    expect(scheduler.nextFire('local')).toBe(Date.parse('2025-03-01T10:30:00.000Z'));
  });

  it('re-arms at once when the schedule changes, and stops when it is removed', () => {
    const { timers, fired, scheduler } = setup();
    scheduler.set('local', '0 * * * *');
    scheduler.set('local', '*/5 * * * *');
    expect(timers.armed).toBe(1);
    timers.advance(5 * 60_000);
    expect(fired.map((fire) => fire.at)).toEqual(['2025-03-01T10:05:00.000Z']);
    scheduler.set('local', null);
    expect(scheduler.nextFire('local')).toBeNull();
    timers.advance(60 * 60_000);
    expect(fired).toHaveLength(1);
    expect(timers.armed).toBe(0);
  });

  it('keeps the timer when the same expression is set again', () => {
    const { timers, scheduler } = setup();
    scheduler.set('local', '*/5 * * * *');
    timers.advance(2 * 60_000);
    scheduler.set('local', '*/5 * * * *');
    expect(scheduler.nextFire('local')).toBe(Date.parse('2025-03-01T10:05:00.000Z'));
    expect(timers.armed).toBe(1);
  });

  it('arms far schedules in steps no longer than setTimeout allows, firing only when due', () => {
    const { timers, fired, scheduler } = setup();
    scheduler.set('yearly', '0 0 1 1 *');
    timers.advance(MAX_TIMER_DELAY_MS);
    expect(fired).toEqual([]);
    expect(timers.armed).toBe(1);
    timers.advance(Date.parse('2026-01-01T00:00:00.000Z') - timers.now());
    expect(fired.map((fire) => fire.at)).toEqual(['2026-01-01T00:00:00.000Z']);
  });

  it('logs a crawl that cannot start and keeps the schedule', async () => {
    const { timers, errors, scheduler } = setup(async () => {
      throw Object.assign(new Error('environment variable TOKEN is not set'), { code: 'invalid_argument' });
    });
    scheduler.set('local', '* * * * *');
    timers.advance(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors[0]).toMatch(/scheduled crawl not started.*invalid_argument: environment variable TOKEN is not set/);
    expect(scheduler.nextFire('local')).toBe(START + 2 * 60_000);
  });

  it('clears every timer on stop and ignores later schedules', () => {
    const { timers, scheduler } = setup();
    scheduler.set('a', '* * * * *');
    scheduler.set('b', '* * * * *');
    scheduler.stop();
    scheduler.set('c', '* * * * *');
    expect(timers.armed).toBe(0);
  });

  it('fires only when mayFire says so at the fire time, and keeps every schedule armed either way', () => {
    let leads = false;
    const asked: string[] = [];
    const { timers, fired, scheduler } = setup(undefined, () => {
      asked.push(new Date(timers.now()).toISOString());
      return leads;
    });
    scheduler.set('local', '* * * * *');
    timers.advance(2 * 60_000);
    expect(fired).toEqual([]);
    expect(asked).toEqual(['2025-03-01T10:01:00.000Z', '2025-03-01T10:02:00.000Z']);
    leads = true;
    timers.advance(60_000);
    expect(fired.map((fire) => fire.at)).toEqual(['2025-03-01T10:03:00.000Z']);
    expect(scheduler.nextFire('local')).toBe(Date.parse('2025-03-01T10:04:00.000Z'));
  });

  it('setAll makes the schedules equal the given ones: new armed, changed re-armed, absent cleared', () => {
    const { timers, scheduler } = setup();
    scheduler.set('kept', '*/5 * * * *');
    scheduler.set('changed', '0 * * * *');
    scheduler.set('gone', '* * * * *');
    scheduler.setAll(
      new Map<string, string | undefined>([
        ['kept', '*/5 * * * *'],
        ['changed', '*/10 * * * *'],
        ['unscheduled', undefined],
        ['new', '30 * * * *'],
      ]),
    );
    expect(scheduler.nextFire('kept')).toBe(Date.parse('2025-03-01T10:05:00.000Z'));
    expect(scheduler.nextFire('changed')).toBe(Date.parse('2025-03-01T10:10:00.000Z'));
    expect(scheduler.nextFire('new')).toBe(Date.parse('2025-03-01T10:30:00.000Z'));
    expect(scheduler.nextFire('gone')).toBeNull();
    expect(scheduler.nextFire('unscheduled')).toBeNull();
    expect(timers.armed).toBe(3);
  });
});
