/**
 * What a queue-mode crawl adds up of its repositories, kept in Redis as they finish: O(1) in the
 * number of repositories for the crawl's finish step (which used to read one result per
 * repository from the BullMQ flow, 100,000 of them for a 100,000-repository catalog), and exact
 * under `kill -9`: one Lua script adds a repository and marks it added, atomically, so a
 * repository job that runs its last step again after a crash adds nothing the second time.
 * The marks are one small set member per repository, in Redis like the flow's own bookkeeping;
 * the errors are those of repositories that failed as a whole. Cleared once the run is finished.
 */
import type { Redis } from 'ioredis';
import { emptyCounts, type CrawlCounts, type CrawlErrorRecord } from '../domain/crawl.js';
import { addOutcome } from '../crawl/repository-outcome.js';
import type { RepositoryResult, RequestCounts } from './jobs.js';

/** What a run's repositories added up to. */
export interface RunTotals {
  counts: CrawlCounts;
  requests: RequestCounts;
  /** What the last repository that knew said of the referrers API (null: none knew). */
  referrersApi: boolean | null;
  /** Errors of repositories that failed as a whole. */
  errors: CrawlErrorRecord[];
}

/** Where a crawl's repositories are added up (Redis; an in-memory one in unit tests). */
export interface RunTally {
  /** Adds `result` to run `runId` unless `member` (the repository job's id) was added already. */
  add(runId: number, member: string, result: RepositoryResult): Promise<void>;
  read(runId: number): Promise<RunTotals>;
  /** Forgets run `runId` (its finish is recorded). */
  clear(runId: number): Promise<void>;
}

/** Registered once per connection with `defineCommand`. */
const COMMAND = 'ocidexRunTallyAdd';
/** A tally nobody finishes (its crawl job was removed by hand) goes away after this long. */
const TALLY_TTL_SECONDS = 7 * 24 * 3600;

/**
 * KEYS: the totals hash, the set of added members, the error list. ARGV: the member, the TTL,
 * an error record (JSON, or empty), referrersApi ('1', '0' or empty), then field/increment pairs.
 */
const ADD_LUA = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
for i = 5, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'referrersApi', ARGV[4]) end
if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[3]) end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
return 1
`;

type TallyRedis = Redis & {
  [COMMAND](totals: string, members: string, errors: string, ...args: Array<string | number>): Promise<number>;
};

/** A run's tally in Redis under `${prefix}:run-tally:${runId}` (and `:added`, `:errors`). */
export class RedisRunTally implements RunTally {
  readonly #redis: TallyRedis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 3, lua: ADD_LUA });
    this.#redis = redis as TallyRedis;
    this.#prefix = prefix;
  }

  async add(runId: number, member: string, result: RepositoryResult): Promise<void> {
    const [totals, members, errors] = this.#keys(runId);
    const error = result.error === null ? '' : JSON.stringify(result.error);
    const referrersApi = result.referrersApi === null ? '' : result.referrersApi ? '1' : '0';
    const increments = Object.entries(tallyFields(result)).flat();
    await this.#redis[COMMAND](totals, members, errors, member, TALLY_TTL_SECONDS, error, referrersApi, ...increments);
  }

  async read(runId: number): Promise<RunTotals> {
    const [totals, , errors] = this.#keys(runId);
    const [fields, records] = await Promise.all([this.#redis.hgetall(totals), this.#redis.lrange(errors, 0, -1)]);
    return totalsOf(fields, records);
  }

  async clear(runId: number): Promise<void> {
    await this.#redis.del(...this.#keys(runId));
  }

  #keys(runId: number): [string, string, string] {
    const base = `${this.#prefix}:run-tally:${runId}`;
    return [base, `${base}:added`, `${base}:errors`];
  }
}

/** The hash fields a repository's result adds to: `count:<name>`, `requests`, `op:<operation>`. */
export function tallyFields(result: RepositoryResult): Record<string, number> {
  const counts = emptyCounts();
  if (result.outcome !== null) addOutcome(counts, result.outcome);
  const fields: Record<string, number> = {};
  for (const [name, value] of Object.entries(counts)) if (value !== 0) fields[`count:${name}`] = value;
  if (result.requests.total !== 0) fields.requests = result.requests.total;
  for (const [operation, count] of Object.entries(result.requests.byOperation)) fields[`op:${operation}`] = count;
  return fields;
}

/** The totals from the hash fields and the error list as Redis returns them. */
export function totalsOf(fields: Record<string, string>, errors: string[]): RunTotals {
  const counts = emptyCounts();
  const byOperation: Record<string, number> = {};
  let requests = 0;
  for (const [field, text] of Object.entries(fields)) {
    const value = Number(text);
    if (field.startsWith('count:') && field.slice(6) in counts) counts[field.slice(6) as keyof CrawlCounts] = value;
    else if (field.startsWith('op:')) byOperation[field.slice(3)] = value;
    else if (field === 'requests') requests = value;
  }
  const referrersApi = fields.referrersApi === undefined ? null : fields.referrersApi === '1';
  const records = errors.map((record) => JSON.parse(record) as CrawlErrorRecord);
  return { counts, requests: { total: requests, byOperation }, referrersApi, errors: records };
}
