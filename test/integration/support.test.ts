/**
 * The test infrastructure itself, against the real docker-registry (distribution 2.8) and
 * redis-server: no mocks. A missing binary fails these tests; nothing is skipped.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src/demo/bytes.js';
import { pushBulkModels } from '../../src/demo/bulk.js';
import { Pusher } from '../../src/demo/pusher.js';
import { findRegistryBinary, startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { findSample, pushSampleSet } from '../../src/demo/sample-set.js';
import {
  attachReferrer,
  descriptorOf,
  notationSignatureArtifact,
  omlmdArtifact,
  pushArtifact,
  readReferrersFallback,
  referrersFallbackTag,
  spdxSbomArtifact,
} from '../../src/demo/samples.js';
import { MANIFEST_ACCEPT, MediaType } from '../../src/domain/oci.js';
import { writeHtpasswd } from '../support/htpasswd.js';
import { ping, startRedis } from '../support/redis-process.js';

const sample = (name: string, accuracy = 0.9) =>
  omlmdArtifact({ metadata: { name, customProperties: { accuracy, license: 'MIT' }, model_format_name: 'onnx' } });

async function getManifest(baseUrl: string, repository: string, reference: string) {
  const response = await request(`${baseUrl}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: MANIFEST_ACCEPT.join(', ') },
  });
  const bytes = new Uint8Array(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, bytes };
}

async function listTags(baseUrl: string, repository: string): Promise<string[]> {
  const response = await request(`${baseUrl}/v2/${repository}/tags/list`);
  const body = (await response.body.json()) as { tags: string[] | null };
  return [...(body.tags ?? [])].sort();
}

describe('startRegistry', () => {
  it('finds the installed docker-registry (fails, never skips, when it is missing)', () => {
    expect(findRegistryBinary()).not.toBeNull();
  });

  it('reports a missing binary as unsupported and says what to install', async () => {
    await expect(startRegistry({ binary: '/nonexistent/docker-registry' })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('apt-get install docker-registry'),
    });
  });

  it('answers /v2/ and stop() kills it and removes its temp dirs', async () => {
    const registry = await startRegistry();
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const response = await request(`${registry.url}/v2/`, { reset: true });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
    expect(existsSync(registry.storageDir)).toBe(true);
    await registry.stop();
    expect(existsSync(registry.storageDir)).toBe(false);
    expect(existsSync(dirname(registry.storageDir))).toBe(false);
    await expect(request(`${registry.url}/v2/`, { reset: true })).rejects.toThrow();
  });

  it('serves from in-memory storage when asked', async () => {
    const registry = await startRegistry({ storage: 'inmemory' });
    const pusher = new Pusher(registry.url);
    try {
      const artifact = sample('in-memory');
      await pushArtifact(pusher, 'test/memory', artifact, 'v1');
      expect((await getManifest(registry.url, 'test/memory', 'v1')).headers['docker-content-digest']).toBe(
        artifact.digest,
      );
    } finally {
      await pusher.close();
      await registry.stop();
    }
  });
});

describe('Pusher and samples against distribution 2.8', () => {
  let registry: RunningRegistry;
  let pusher: Pusher;

  beforeAll(async () => {
    registry = await startRegistry();
    pusher = new Pusher(registry.url);
  });
  afterAll(async () => {
    await pusher?.close();
    await registry?.stop();
  });

  it('pushes an artifact that reads back byte for byte under its digest', async () => {
    const artifact = sample('roundtrip');
    const pushed = await pushArtifact(pusher, 'test/roundtrip', artifact, 'v1');
    expect(pushed.digest).toBe(artifact.digest);
    const fetched = await getManifest(registry.url, 'test/roundtrip', 'v1');
    expect(fetched.status).toBe(200);
    expect(Buffer.from(fetched.bytes).equals(Buffer.from(artifact.bytes))).toBe(true);
    expect(fetched.headers['docker-content-digest']).toBe(sha256Digest(fetched.bytes));
    expect(fetched.headers['content-type']).toBe(MediaType.ociManifest);
    const config = await request(`${registry.url}/v2/test/roundtrip/blobs/${artifact.manifest.config.digest}`);
    expect(Buffer.from(await config.body.arrayBuffer()).equals(Buffer.from(artifact.config ?? []))).toBe(true);
  });

  it('skips blobs the registry has and deletes a tag by its digest', async () => {
    const artifact = sample('deletable');
    await pushArtifact(pusher, 'test/deletable', artifact, 'v1');
    expect(await pusher.blobExists('test/deletable', artifact.manifest.config.digest)).toBe(true);
    await expect(pusher.deleteTag('test/deletable', 'v1')).resolves.toBe(artifact.digest);
    expect((await getManifest(registry.url, 'test/deletable', artifact.digest)).status).toBe(404);
    await expect(pusher.deleteTag('test/deletable', 'v1')).resolves.toBeNull();
  });

  it('throws the registry error with its status for an invalid manifest', async () => {
    const artifact = sample('missing-blobs');
    await expect(pusher.pushManifest('test/invalid', 'v1', artifact.bytes, artifact.mediaType)).rejects.toMatchObject({
      details: { status: 400 },
      message: expect.stringContaining('MANIFEST_BLOB_UNKNOWN'),
    });
  });

  it('attachReferrer twice keeps both referrers in the fallback index', async () => {
    const subject = sample('signed');
    await pushArtifact(pusher, 'test/signed', subject, 'v1');
    const signature = notationSignatureArtifact(descriptorOf(subject));
    const sbom = spdxSbomArtifact(descriptorOf(subject), 'signed');
    const first = await attachReferrer(pusher, 'test/signed', subject.digest, signature);
    await attachReferrer(pusher, 'test/signed', subject.digest, sbom);
    await attachReferrer(pusher, 'test/signed', subject.digest, sbom);

    expect(first.tag).toBe(`sha256-${subject.digest.slice('sha256:'.length)}`);
    expect(signature.manifest.config).toEqual({
      mediaType: 'application/vnd.oci.empty.v1+json',
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
      data: 'e30=',
    });
    const index = await readReferrersFallback(pusher, 'test/signed', subject.digest);
    expect(index?.mediaType).toBe(MediaType.ociIndex);
    expect(index?.manifests).toEqual([
      {
        mediaType: MediaType.ociManifest,
        digest: signature.digest,
        size: signature.size,
        artifactType: 'application/vnd.cncf.notary.signature',
        annotations: signature.manifest.annotations,
      },
      expect.objectContaining({ digest: sbom.digest, artifactType: 'application/spdx+json' }),
    ]);
    const replaced = await getManifest(
      registry.url,
      'test/signed',
      sha256Digest(new TextEncoder().encode(JSON.stringify(first.index))),
    );
    expect(replaced.status).toBe(404);
    expect(await listTags(registry.url, 'test/signed')).toEqual([referrersFallbackTag(subject.digest), 'v1'].sort());
  });

  it('refuses a referrer whose subject is another manifest', async () => {
    const subject = sample('other');
    await expect(
      attachReferrer(
        pusher,
        'test/other',
        `sha256:${'0'.repeat(64)}`,
        notationSignatureArtifact(descriptorOf(subject)),
      ),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('pushSampleSet pushes every format and reports what is in the registry', async () => {
    const info = await pushSampleSet(pusher);
    expect(new Set(info.artifacts.map((entry) => entry.format))).toEqual(
      new Set([
        'omlmd',
        'modelpack',
        'cnai',
        'docker-model',
        'ollama',
        'kitops',
        'oci-image',
        'oci-index',
        'docker-image',
      ]),
    );
    for (const entry of info.artifacts) {
      const fetched = await getManifest(registry.url, entry.repository, entry.tag);
      expect(fetched.headers['docker-content-digest'], entry.ref).toBe(entry.digest);
      expect(fetched.headers['content-type'], entry.ref).toBe(entry.mediaType);
    }
    for (const repository of info.repositories) {
      expect(await listTags(registry.url, repository), repository).toEqual(info.tags[repository]);
    }
    const fraudV2 = findSample(info, 'models/fraud-detector:v2');
    expect(fraudV2.facts).toMatchObject({ accuracy: 0.97, license: 'Apache-2.0', signed: true, sbom: true });
    const fallback = await readReferrersFallback(pusher, 'models/fraud-detector', fraudV2.digest);
    expect(fallback?.manifests.map((entry) => entry.digest)).toEqual(fraudV2.referrers);
    const sbom = info.referrers.find((referrer) => referrer.kind === 'sbom');
    const onSbom = await readReferrersFallback(pusher, 'models/fraud-detector', sbom?.digest ?? '');
    expect(onSbom?.manifests.map((entry) => entry.artifactType)).toEqual(['application/vnd.cncf.notary.signature']);
    expect(findSample(info, 'images/modelcar:v2').facts.subject).toBe(fraudV2.digest);
    expect(findSample(info, 'models/churn:0.3').facts.invalidJsonAnnotations).toEqual(['training+json']);
    const cosign = info.cosignSignatures[0];
    expect(cosign?.tag).toBe(`${findSample(info, 'models/sentiment:1.0').digest.replace(':', '-')}.sig`);
  });

  it('pushBulkModels pushes distinct manifests', async () => {
    const result = await pushBulkModels(pusher, { repositories: 3, tagsPerRepository: 10, concurrency: 6 });
    expect(result.manifests).toBe(30);
    expect(new Set(result.digests).size).toBe(30);
    for (const repository of result.repositories) {
      expect(await listTags(registry.url, repository)).toHaveLength(10);
    }
  });
});

describe('registry with htpasswd auth', () => {
  const password = 's3cret-pa55word';
  let registry: RunningRegistry;
  let htpasswd: string;

  beforeAll(async () => {
    htpasswd = await writeHtpasswd({ ocidex: password });
    registry = await startRegistry({ htpasswd });
  });
  afterAll(async () => {
    await registry?.stop();
    if (htpasswd !== undefined) await rm(dirname(htpasswd), { recursive: true, force: true });
  });

  it('answers 401 Basic without credentials', async () => {
    const response = await request(`${registry.url}/v2/`);
    await response.body.dump();
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="ocidex"/);
    const anonymous = new Pusher(registry.url);
    await expect(pushArtifact(anonymous, 'auth/model', sample('anonymous'))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await anonymous.close();
  });

  it('pushes with credentials and never puts the password in an error', async () => {
    const pusher = new Pusher(registry.url, { username: 'ocidex', password });
    const artifact = sample('authorized');
    await expect(pushArtifact(pusher, 'auth/model', artifact, 'v1')).resolves.toMatchObject({
      digest: artifact.digest,
    });
    await pusher.close();
    const wrong = new Pusher(registry.url, { username: 'ocidex', password: `${password}-wrong` });
    const error = await pushArtifact(wrong, 'auth/model', sample('wrong')).then(
      () => new Error('pushed without valid credentials'),
      (caught: unknown) => caught as Error,
    );
    expect(error).toMatchObject({ code: 'unauthorized', details: { status: 401 } });
    expect(error.message).not.toContain(password);
    await wrong.close();
  });
});

describe('registry notifications', () => {
  it('posts push events to the configured endpoint with its headers', async () => {
    const events: Array<{ authorization: string | undefined; body: { events: Array<Record<string, any>> } }> = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        events.push({ authorization: req.headers.authorization, body: JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const registry = await startRegistry({
      notifications: { url: `http://127.0.0.1:${port}/events`, headers: { Authorization: 'Bearer hook-token' } },
    });
    const pusher = new Pusher(registry.url);
    try {
      const artifact = sample('notified');
      await pushArtifact(pusher, 'hooks/model', artifact, 'v1');
      const deadline = Date.now() + 5_000;
      const isManifestPush = (event: Record<string, any>) => event.action === 'push' && event.target?.tag === 'v1';
      while (!events.some((event) => event.body.events.some(isManifestPush)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const delivery = events.find((event) => event.body.events.some(isManifestPush));
      expect(delivery?.authorization).toBe('Bearer hook-token');
      expect(delivery?.body.events.find(isManifestPush)?.target).toMatchObject({
        digest: artifact.digest,
        repository: 'hooks/model',
      });
    } finally {
      await pusher.close();
      await registry.stop();
      server.close();
    }
  });
});

describe('startRedis', () => {
  it('answers PING until stopped', async () => {
    const redis = await startRedis();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await ping(redis.port)).toBe(true);
    expect(existsSync(redis.dir)).toBe(true);
    await redis.stop();
    expect(await ping(redis.port)).toBe(false);
    expect(existsSync(redis.dir)).toBe(false);
  });
});
