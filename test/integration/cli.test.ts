/** The command line as a user runs it: the built `ocidex` against a real registry. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { findSample, pushSampleSet, type SampleSetInfo } from '../../src/demo/sample-set.js';
import { generateSigningKey } from '../../src/demo/samples-signing.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const run = promisify(execFile);
let registry: RunningRegistry;
let samples: SampleSetInfo;
let temp: TempIndex;
const key = generateSigningKey();

async function ocidex(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, DOCKER_CONFIG: '/nonexistent' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm ci does it)`);
  registry = await startRegistry();
  const pusher = new Pusher(registry.url);
  samples = await pushSampleSet(pusher, { signingKey: key.privateKey });
  await pusher.close();
  temp = tempIndex();
  temp.index.close();
});

afterAll(async () => {
  temp?.cleanup();
  await registry?.stop();
});

describe('ocidex CLI', () => {
  it('crawls a registry and prints a closing summary', async () => {
    const result = await ocidex('crawl', registry.host, '--db', temp.path, '--no-progress');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`repositories\\s+${samples.repositories.length} \\(0 unchanged\\)`));
    expect(result.stdout).toContain('invalid_json_annotation 1');
    expect(result.stderr).toMatch(/crawled models\/fraud-detector/);
  });

  it('answers a JSONPath query over the index', async () => {
    const result = await ocidex('query', "$[?@.model.license == 'MIT'].repository", '--db', temp.path);
    expect(result.code).toBe(0);
    const mit = samples.artifacts.filter((entry) => entry.facts.license === 'MIT').map((entry) => entry.repository);
    expect(mit).toContain('models/sentiment');
    expect(JSON.parse(result.stdout).sort()).toEqual(mit.sort());
  });

  it('rejects an invalid query with exit code 2 and a pointer to the position', async () => {
    const result = await ocidex('query', '$[?@.model.license ==]', '--db', temp.path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('^');
  });

  it('shows one document by tag, with its referrers', async () => {
    const result = await ocidex('show', `${registry.host}/models/fraud-detector:v2`, '--db', temp.path);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.digest).toBe(findSample(samples, 'models/fraud-detector:v2').digest);
    expect(document.referrers.map((referrer: { kind: string }) => referrer.kind).sort()).toEqual(['sbom', 'signature']);
  });

  it('verify puts the trust policies of --config in force from stored material, and queries see them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocidex-cli-trust-'));
    try {
      writeFileSync(join(dir, 'cosign.pub'), key.publicKeyPem);
      writeFileSync(
        join(dir, 'ocidex.yaml'),
        `trust:\n  policies:\n    - { name: ci, scope: ["${registry.host}/**"], sigstore: { publicKeys: [cosign.pub] } }\n`,
      );
      const result = await ocidex('verify', '--config', join(dir, 'ocidex.yaml'), '--db', temp.path, '--json');
      expect(result.code).toBe(0);
      const tally = JSON.parse(result.stdout);
      expect(tally).toMatchObject({ policies: 1, changed: true, documentsVerified: 1 });
      // The sentiment .sig verifies; the sample set's placeholder Notation signatures cannot.
      expect(tally.statuses).toEqual({ verified: 1, failed: 3 });
      const verified = await ocidex('query', '$[?@.verified == true]["repository", "signers"]', '--db', temp.path);
      expect(JSON.parse(verified.stdout)).toEqual(['models/sentiment', [key.keyId]]);
      const missing = await ocidex('verify', '--db', temp.path);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('needs --config');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('crawls exact references into omlmd-compatible output', async () => {
    const refs = [`${registry.host}/models/sentiment:1.0`, `${registry.host}/models/fraud-detector:v1`];
    const other = tempIndex();
    other.index.close();
    try {
      const result = await ocidex('crawl', '--refs', ...refs, '--json', '--db', other.path);
      expect(result.code).toBe(0);
      const output = JSON.parse(result.stdout) as Array<{
        reference: string;
        config: { customProperties: { accuracy: number } };
      }>;
      expect(output.map((item) => item.reference)).toEqual(refs);
      expect(output.map((item) => item.config.customProperties.accuracy)).toEqual([0.95, 0.91]);
    } finally {
      other.cleanup();
    }
  });

  it('exits non-zero when the registry cannot be reached', async () => {
    const result = await ocidex('crawl', '127.0.0.1:9', '--db', temp.path, '--no-progress');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed: unreachable');
  });

  it('runs the demo end to end: crawl, a recrawl that fetches nothing, four answered queries', async () => {
    const demo = tempIndex('demo.db');
    demo.index.close();
    try {
      const result = await ocidex('demo', '--db', demo.path);
      expect(result.code).toBe(0);
      const [, recrawl = ''] = result.stdout.split('Recrawl (nothing changed):');
      expect(recrawl).toMatch(/requests\s+\d+ \(manifest\.head/);
      expect(recrawl.split('#')[0]).not.toMatch(/manifest\.get|blob\.get/);
      const answers = [...result.stdout.matchAll(/^\$ ocidex query '([^']+)'.*\n(\[[\s\S]*?\n\])/gm)];
      expect(answers).toHaveLength(4);
      const [apache, mostAccurate, verified, mountable] = answers.map((match) => JSON.parse(match[2]!) as string[]);
      expect(apache).toHaveLength(2);
      expect(apache!.every((reference) => reference.includes('/models/fraud-detector@sha256:'))).toBe(true);
      expect(mostAccurate).toHaveLength(1);
      expect(apache).toContain(mostAccurate![0]);
      // The demo signs models/sentiment with a fresh key and trusts that key: exactly it verifies.
      expect(verified).toHaveLength(2);
      expect(verified![0]).toContain('/models/sentiment@sha256:');
      expect(verified![1]).toEqual([expect.stringMatching(/^key:sha256:[0-9a-f]{64}$/)]);
      expect(mountable).toHaveLength(1);
      expect(mountable![0]).toContain('/models/digits-image@sha256:');
    } finally {
      demo.cleanup();
    }
  });
});
