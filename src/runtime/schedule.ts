/**
 * Cron schedules of registries, computed with cron-parser (the library BullMQ's job schedulers
 * use, so queue mode fires at the same times). Expressions have 5 fields, or 6 with seconds
 * first; times are UTC.
 */
import { CronExpressionParser } from 'cron-parser';
import { OcidexError } from '../domain/errors.js';

/** The time zone schedules are read in. */
export const SCHEDULE_TIME_ZONE = 'UTC';

/** The first fire time of `expression` strictly after `after` (epoch ms). */
export function nextFireTime(expression: string, after: number): number {
  try {
    return CronExpressionParser.parse(expression, { currentDate: after, tz: SCHEDULE_TIME_ZONE }).next().getTime();
  } catch (error) {
    throw new OcidexError(
      'invalid_argument',
      `invalid cron expression: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

/** Null when `expression` is a valid schedule, else why not. */
export function scheduleProblem(expression: string): string | null {
  try {
    nextFireTime(expression, Date.now());
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
