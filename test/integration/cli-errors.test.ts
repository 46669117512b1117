/**
 * Findings 7 and 8 of issue 11, as a user meets them: the built `ocidex` printed uncaught
 * OcidexErrors with a Node stack, said a failed crawl's failure twice, and left its run
 * `running` on Ctrl-C.
 */
import { nativeSqlite } from '../support/sqlite-native.js';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/errors.js';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { openIndex } from '../../src/store/index.js';
import { RegistryClient } from '../../src/registry/index.js';
import { FakeRegistry } from '../support/fake-registry.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const run = promisify(execFile);
const ENV = { ...process.env, DOCKER_CONFIG: '/nonexistent', OCIDEX_DEBUG: '' };
let temp: TempIndex | undefined;
let fake: FakeRegistry | undefined;

async function ocidex(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: ENV });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm ci does it)`);
});
afterEach(async () => {
  temp?.cleanup();
  await fake?.close();
  temp = fake = undefined;
});

describe('ocidex CLI errors (finding 8)', () => {
  it('regression: query --db /nonexistent/x.db printed an uncaught OcidexError with a stack', async () => {
    const result = await ocidex('query', '--db', '/nonexistent/x.db', '$[*]');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'ocidex: cannot open index /nonexistent/x.db: Cannot open database because the directory does not exist (invalid_argument)\n',
    );
    const debug = await ocidex('--debug', 'query', '--db', '/nonexistent/x.db', '$[*]');
    expect(debug.stderr).toMatch(/\n\s+at openDatabase .*\ncaused by: TypeError: Cannot open database/s);
  });

  it('regression: show nope printed a SqliteError stack', async () => {
    const result = await ocidex('show', 'nope', '--db', '/tmp/ocidex-missing-index-for-show.db');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^ocidex: cannot open index \/tmp\/ocidex-missing-index-for-show\.db: .* \(invalid_argument\)\n$/,
    );
    expect(result.stderr).not.toMatch(/\bat \S+ \(/);
  });

  it('regression: a failed crawl printed its failure twice', async () => {
    temp = tempIndex();
    const result = await ocidex('crawl', '127.0.0.1:1', '--db', temp.path, '--no-progress');
    expect(result.code).toBe(1);
    expect(result.stdout.match(/unreachable/g)).toHaveLength(2); // "errors 1 (unreachable 1)" and the failure line
    expect(result.stdout).toMatch(/ {2}failed: unreachable: ping http:\/\/127\.0\.0\.1:1\/v2\//);
  });

  it('says a read-only index during a crawl in one line with its code', async () => {
    fake = await FakeRegistry.start();
    fake.pushArtifact('models/a', { tag: 'v1' });
    temp = tempIndex();
    nativeSqlite(temp.index.db).pragma('query_only = ON'); // SQLite refuses every write, as on a read-only file
    const client = new RegistryClient({ registry: fake.host, dockerConfigPath: null });
    const failure = await crawlRegistry(client, temp.index).then(
      () => null,
      (error: unknown) => error,
    );
    await client.close();
    const lines: string[] = [];
    const code = reportError(failure, false, {
      write: (text: string) => lines.push(text),
    } as unknown as NodeJS.WritableStream);
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        /^ocidex: the index cannot be written: .*readonly database \(SQLITE_READONLY\) \(index_unavailable\)\n$/,
      ),
    ]);
  });

  it('counts the writes a full index refuses as errors of the crawl, which ends and is recorded', async () => {
    fake = await FakeRegistry.start();
    for (let item = 0; item < 20; item += 1)
      fake.pushArtifact(`models/m${item}`, { tag: 'v1', annotations: { pad: `${item}`.repeat(20_000) } });
    temp = tempIndex();
    const pages = nativeSqlite(temp.index.db).pragma('page_count', { simple: true }) as number;
    nativeSqlite(temp.index.db).pragma(`max_page_count = ${pages + 4}`);
    const client = new RegistryClient({ registry: fake.host, dockerConfigPath: null });
    const summary = await crawlRegistry(client, temp.index);
    await client.close();
    expect(summary.errorsByCode.index_unavailable).toBeGreaterThan(0);
    expect(temp.index.listRuns()).toMatchObject([{ status: summary.status }]);
  });
});

describe('ocidex crawl interrupted (finding 7)', () => {
  it('regression: Ctrl-C left the run running; it ends failed with code aborted, exit 130', async () => {
    fake = await FakeRegistry.start();
    fake.pushArtifact('models/a', { tag: 'v1' });
    fake.faults.add({ path: '/v2/_catalog', delayMs: 120_000 });
    temp = tempIndex();
    temp.index.close();
    const child = spawn(process.execPath, [CLI, 'crawl', fake.host, '--db', temp.path, '--no-progress'], { env: ENV });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    while (fake.requestsTo(/\/v2\/_catalog/).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toMatch(/failed: aborted: /);
    const index = openIndex(temp.path, { readonly: true });
    try {
      expect(index.listRuns()).toMatchObject([{ status: 'failed', summary: { fatal: { code: 'aborted' } } }]);
    } finally {
      index.close();
    }
  });
});
