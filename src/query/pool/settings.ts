/**
 * Settings of the query worker pool, their defaults, and where `ocidex serve` reads them
 * (OCIDEX_QUERY_WORKERS, OCIDEX_QUERY_QUEUE, OCIDEX_QUERY_PER_CLIENT, OCIDEX_QUERY_WORKERS_PER_CLIENT).
 */
import { availableParallelism } from 'node:os';
import { OcidexError } from '../../domain/errors.js';
import type { EngineOptions } from '../types.js';

/** Tasks waiting for a worker, over all clients, before new ones are refused with 503. */
export const DEFAULT_MAX_QUEUED = 64;
/** Tasks of one client in flight (running or waiting) before its next one is refused with 503. */
export const DEFAULT_MAX_PER_CLIENT = 8;
/** How long past its budget a worker may run a task before it is terminated and replaced. */
export const DEFAULT_GRACE_MS = 1_000;

/** How the pool is sized and limited; every field has a default. */
export interface QueryPoolSettings {
  /** Worker threads (default: the cores, `os.availableParallelism()`). */
  workers?: number;
  maxQueued?: number;
  maxPerClient?: number;
  /** Workers one client may hold at once (default: half of them, at least one; see fair-queue.ts). */
  workersPerClient?: number;
  graceMs?: number;
  /** The engine of every worker (budget, caps). */
  engine?: EngineOptions;
  /** The worker module (default: query-worker.js beside this module; tests pass the TypeScript source). */
  workerFile?: string;
  /** Node flags of the workers (tests pass a TypeScript loader). */
  execArgv?: string[];
}

/** The settings with defaults applied. */
export type ResolvedPoolSettings = Required<Omit<QueryPoolSettings, 'execArgv'>> & Pick<QueryPoolSettings, 'execArgv'>;

/** Workers a client may hold at once by default: half of them, at least one. */
export function defaultShare(workers: number): number {
  return Math.max(1, Math.floor(workers / 2));
}

type CountSetting = 'workers' | 'maxQueued' | 'maxPerClient' | 'workersPerClient';

const ENV: Array<[CountSetting, string]> = [
  ['workers', 'OCIDEX_QUERY_WORKERS'],
  ['maxQueued', 'OCIDEX_QUERY_QUEUE'],
  ['maxPerClient', 'OCIDEX_QUERY_PER_CLIENT'],
  ['workersPerClient', 'OCIDEX_QUERY_WORKERS_PER_CLIENT'],
];

/** The pool settings given in `env`; throws `invalid_argument` naming a variable that is not a positive integer. */
export function queryPoolSettingsFromEnv(env: NodeJS.ProcessEnv): QueryPoolSettings {
  const settings: QueryPoolSettings = {};
  for (const [key, name] of ENV) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      throw new OcidexError('invalid_argument', `${name} must be a positive integer`);
    }
    settings[key] = value;
  }
  return settings;
}

/** `settings` with every default filled in. */
export function resolvePoolSettings(settings: QueryPoolSettings): ResolvedPoolSettings {
  const workers = settings.workers ?? availableParallelism();
  return {
    workers,
    workersPerClient: Math.min(workers, settings.workersPerClient ?? defaultShare(workers)),
    maxQueued: settings.maxQueued ?? DEFAULT_MAX_QUEUED,
    maxPerClient: settings.maxPerClient ?? DEFAULT_MAX_PER_CLIENT,
    graceMs: settings.graceMs ?? DEFAULT_GRACE_MS,
    engine: settings.engine ?? {},
    workerFile: settings.workerFile ?? new URL('./query-worker.js', import.meta.url).href,
    execArgv: settings.execArgv,
  };
}
