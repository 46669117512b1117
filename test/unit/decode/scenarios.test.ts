/**
 * Table-driven decoding over real-shaped fixtures: one folder per scenario under
 * test/fixtures/decode/<scenario>/ with manifest.json, optional config.json / config.bin,
 * input.json and expected.json (a document subset, problem codes, optional referrer subset).
 * The crawl is mimicked: the config is passed only when configToFetch asks for it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configToFetch, decodeArtifact, parseManifest, summarizeReferrer } from '../../../src/decode/index.js';
import type { ReferrerSummary } from '../../../src/domain/document.js';
import { isIndex, type Descriptor } from '../../../src/domain/oci.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/decode/', import.meta.url));
const CRAWLED_AT = '2026-01-01T00:00:00.000Z';

interface ScenarioInput {
  registry?: string;
  repository?: string;
  tags?: string[];
  mediaType?: string;
  digest?: string;
  referrers?: ReferrerSummary[];
  parent?: {
    digest: string;
    platform: { os: string | null; architecture: string | null; variant: string | null } | null;
  };
}

interface Expected {
  document: Record<string, unknown>;
  problems: string[];
  referrer?: Record<string, unknown>;
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

function configBytes(folder: string): Uint8Array | null {
  for (const name of ['config.json', 'config.bin']) {
    const path = join(folder, name);
    if (existsSync(path)) return readFileSync(path);
  }
  return null;
}

const scenarios = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('decodeArtifact scenarios', () => {
  it('has the scenarios the formats need', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(25);
  });

  it.each(scenarios)('%s', (name) => {
    const folder = join(FIXTURES, name);
    const bytes = readFileSync(join(folder, 'manifest.json'));
    const input = readJson<ScenarioInput>(join(folder, 'input.json'));
    const expected = readJson<Expected>(join(folder, 'expected.json'));
    const manifest = parseManifest(bytes, input.mediaType ?? null);

    const wanted = configToFetch(manifest);
    const blob = configBytes(folder);
    if (wanted) {
      expect(blob, 'configToFetch asks for a config the fixture lacks').not.toBeNull();
      expect(sha256(blob as Uint8Array)).toBe(wanted.digest);
      expect((blob as Uint8Array).length).toBe(wanted.size);
    } else {
      expect(blob, 'the fixture has a config that configToFetch skips').toBeNull();
    }

    const digest = input.digest ?? sha256(bytes);
    const { document, problems } = decodeArtifact(manifest, {
      registry: input.registry ?? 'registry.example.com',
      repository: input.repository ?? 'example',
      digest,
      manifestSize: bytes.length,
      mediaType: input.mediaType ?? null,
      config: wanted ? blob : null,
      tags: input.tags ?? [],
      referrers: input.referrers ?? [],
      crawledAt: CRAWLED_AT,
      parent: input.parent ?? null,
    });

    expect(document).toMatchObject(expected.document);
    expect(problems.map((problem) => problem.code)).toEqual(expected.problems);
    // The document is plain JSON: it survives a round trip unchanged (no undefined, no Infinity).
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(document.crawledAt).toBe(CRAWLED_AT);

    if (expected.referrer) {
      const descriptor: Descriptor = { mediaType: manifest.mediaType ?? '', digest, size: bytes.length };
      if (manifest.artifactType !== undefined) descriptor.artifactType = manifest.artifactType;
      if (manifest.annotations !== undefined) descriptor.annotations = manifest.annotations;
      expect(isIndex(manifest)).toBe(false);
      expect(summarizeReferrer(descriptor, manifest)).toMatchObject(expected.referrer);
    }
  });
});
