import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCrawl } from '../store/fixtures.js';
import {
  type ApiFixture,
  apiFixture,
  body,
  errorOf,
  LLAMA,
  MISTRAL,
  OLD_LLAMA,
  REGISTRY,
  REPOSITORY,
  SIGNATURE,
} from './support.js';

let fixture: ApiFixture;
beforeEach(() => {
  fixture = apiFixture();
});
afterEach(() => fixture.cleanup());

const get = (path: string) => fixture.app.request(path);

describe('GET /v1/artifacts/{reference}', () => {
  it('returns the document by digest with its referrers and tag history', async () => {
    const response = await get(`/v1/artifacts/${LLAMA.reference}`);
    expect(response.status).toBe(200);
    const artifact = await body(response);
    expect(artifact.document.reference).toBe(LLAMA.reference);
    expect(artifact.document.tags).toEqual(['v1']);
    expect(artifact.document.signed).toBe(true);
    expect(artifact.referrers.map((referrer: { digest: string }) => referrer.digest)).toEqual([SIGNATURE.digest]);
    // v1 moved from llama-old to llama; the latest tag of mistral is not this digest's history.
    expect(artifact.history).toEqual([
      { tag: 'v1', oldDigest: OLD_LLAMA.digest, newDigest: LLAMA.digest, at: '2025-03-02T10:00:00.000Z' },
    ]);
  });

  it('resolves a tag', async () => {
    const artifact = await body(await get(`/v1/artifacts/${REGISTRY}/${REPOSITORY}:latest`));
    expect(artifact.document.digest).toBe(MISTRAL.digest);
    expect(artifact.referrers).toEqual([]);
    expect(artifact.history.map((event: { tag: string }) => event.tag)).toEqual(['latest']);
  });

  it('includes tag moves away from the digest in its history', async () => {
    applyCrawl(fixture.index, { tags: { v1: LLAMA, latest: LLAMA, stable: MISTRAL }, at: '2025-03-03T10:00:00.000Z' });
    const artifact = await body(await get(`/v1/artifacts/${MISTRAL.reference}`));
    expect(artifact.history).toEqual([
      { tag: 'latest', oldDigest: null, newDigest: MISTRAL.digest, at: '2025-03-02T10:00:00.000Z' },
      { tag: 'latest', oldDigest: MISTRAL.digest, newDigest: LLAMA.digest, at: '2025-03-03T10:00:00.000Z' },
      { tag: 'stable', oldDigest: null, newDigest: MISTRAL.digest, at: '2025-03-03T10:00:00.000Z' },
    ]);
  });

  it('accepts a percent-encoded reference', async () => {
    const artifact = await body(await get(`/v1/artifacts/${encodeURIComponent(LLAMA.reference)}`));
    expect(artifact.document.digest).toBe(LLAMA.digest);
  });

  it('answers an unknown artifact with 404', async () => {
    for (const reference of [
      `${REGISTRY}/${REPOSITORY}:nope`,
      `${REGISTRY}/other/repo@${LLAMA.digest}`,
      OLD_LLAMA.reference,
    ]) {
      const response = await get(`/v1/artifacts/${reference}`);
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe('not_found');
    }
  });

  it('answers a malformed reference with 400', async () => {
    for (const reference of ['just-a-name', `${REGISTRY}/${REPOSITORY}@sha256:short`, `${REGISTRY}/UPPER/case:tag`]) {
      const response = await get(`/v1/artifacts/${reference}`);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('invalid_reference');
    }
  });
});
