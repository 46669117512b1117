/**
 * The attack phase of the API benchmark: worst-case queries (`$[?count($..*) > 0]`, a full
 * budget each) sent without pause by one client, while a second client probes `/healthz` and a
 * third runs the selective query, each a closed loop on its own connection. Clients are told
 * apart by loopback address (127.0.0.2, .3, ...), as the query pool's per-client limits count
 * them. Runs in the server's process (the server's event loop stays free: queries run on its
 * workers); answers of the worst-case queries still in flight at the end are not awaited.
 */
import { httpGet } from '../src/demo/http-get.js';

/** The query of the attack: its filter walks every document for every document. */
export const WORST_CASE_QUERY = '$[?count($..*) > 0]';
const ATTACKER = '127.0.0.2';
const HEALTH_PROBE = '127.0.0.3';
const SELECTIVE_PROBE = '127.0.0.4';

export interface AttackOptions {
  /** The server, `http://127.0.0.1:port`. */
  url: string;
  /** The selective query's path and query string. */
  selectivePath: string;
  /** Worst-case queries the attacker keeps in flight. */
  attackers: number;
  /** Further worst-case queries the attacker sends past its cap, each retried after Retry-After. */
  overloaders: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/** Latencies (ms) measured after warm-up, and answers by status. */
export interface AttackResult {
  health: number[];
  selective: number[];
  selectiveFailures: number;
  /** Worst-case queries by HTTP status (503: refused by the pool). */
  attack: Map<number, number>;
}

/**
 * The worst-case query as the `n`-th distinct URL (its limit): identical requests in flight share
 * one computation (src/api/response-cache.ts), and each attacker must hold its own worker.
 */
const worstUrl = (url: string, n: number) =>
  `${url}/v1/models?q=${encodeURIComponent(WORST_CASE_QUERY)}&limit=${20 + n}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the attack and the probes for warm-up + duration; see the file comment. */
export async function runAttack(options: AttackOptions): Promise<AttackResult> {
  const result: AttackResult = { health: [], selective: [], selectiveFailures: 0, attack: new Map() };
  let stopped = false;
  const attack = async (attacker: number): Promise<void> => {
    while (!stopped) {
      const response = await httpGet(worstUrl(options.url, attacker), ATTACKER).catch(() => null);
      if (response === null) return;
      result.attack.set(response.status, (result.attack.get(response.status) ?? 0) + 1);
      if (response.status === 503) await sleep(Number(response.headers['retry-after'] ?? 1) * 1000);
    }
  };
  for (let index = 0; index < options.attackers + options.overloaders; index += 1) void attack(index);
  const measureFrom = performance.now() + options.warmupSeconds * 1000;
  const probe = async (path: string, address: string, samples: number[], onFailure: () => void) => {
    for (let sent = 0; !stopped; sent += 1) {
      const started = performance.now();
      // A distinct URL each time: a repeated one would be answered from the API's response cache.
      const response = await httpGet(`${options.url}${path}${path.includes('?') ? '&' : '?'}n=${sent}`, address);
      if (started < measureFrom) continue;
      if (response.status === 200) samples.push(performance.now() - started);
      else onFailure();
    }
  };
  const probes = [
    probe('/healthz', HEALTH_PROBE, result.health, () => {}),
    probe(options.selectivePath, SELECTIVE_PROBE, result.selective, () => (result.selectiveFailures += 1)),
  ];
  await sleep((options.warmupSeconds + options.durationSeconds) * 1000);
  stopped = true;
  await Promise.all(probes);
  return result;
}

/**
 * Sends `count` worst-case queries at once from `addresses` loopback clients (round robin) and
 * counts those refused with 503 and a Retry-After within `waitMs` (refusals are immediate; the
 * admitted ones are left running).
 */
export async function burstRefusals(url: string, count: number, addresses: number, waitMs = 2_000): Promise<number> {
  let refused = 0;
  for (let index = 0; index < count; index += 1) {
    void httpGet(worstUrl(url, index), `127.0.1.${1 + (index % addresses)}`)
      .then((response) => {
        if (response.status === 503 && response.headers['retry-after'] !== undefined) refused += 1;
      })
      .catch(() => {});
  }
  await sleep(waitMs);
  return refused;
}
