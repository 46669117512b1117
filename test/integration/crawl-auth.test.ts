/** Crawling a real distribution registry behind htpasswd Basic auth. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { omlmdArtifact, pushArtifact } from '../../src/demo/samples.js';
import { documentReference } from '../../src/domain/document.js';
import { RegistryClient } from '../../src/registry/index.js';
import { writeHtpasswd } from '../support/htpasswd.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const USER = 'crawler';
const PASSWORD = 's3cret-Pa55word';
let registry: RunningRegistry;
let htpasswd: string;
let temp: TempIndex;
let digest: string;

beforeAll(async () => {
  htpasswd = await writeHtpasswd({ [USER]: PASSWORD });
  registry = await startRegistry({ htpasswd });
  const pusher = new Pusher(registry.url, { username: USER, password: PASSWORD });
  const artifact = omlmdArtifact({ metadata: { name: 'private', customProperties: { accuracy: 0.9 } } });
  digest = (await pushArtifact(pusher, 'team/private', artifact, 'v1')).digest;
  await pusher.close();
  temp = tempIndex();
});

afterAll(async () => {
  temp?.cleanup();
  await registry?.stop();
  if (htpasswd) rmSync(dirname(htpasswd), { recursive: true, force: true });
});

describe('a registry behind htpasswd Basic auth', () => {
  it('fails as a whole with `unauthorized` without credentials', async () => {
    const client = new RegistryClient({ registry: registry.host, dockerConfigPath: null });
    const summary = await crawlRegistry(client, temp.index);
    await client.close();
    expect(summary.status).toBe('failed');
    expect(summary.fatal?.code).toBe('unauthorized');
  });

  it('fails with `unauthorized` on a wrong password, never echoing it', async () => {
    const wrong = 'wrong-Pa55word-xyz';
    const client = new RegistryClient({
      registry: registry.host,
      credentials: { username: USER, password: wrong },
      dockerConfigPath: null,
    });
    const summary = await crawlRegistry(client, temp.index);
    await client.close();
    expect(summary.fatal?.code).toBe('unauthorized');
    const stored = JSON.stringify([summary, temp.index.listErrors({ registry: registry.host })]);
    expect(stored).not.toContain(wrong);
    expect(stored).not.toContain(Buffer.from(`${USER}:${wrong}`).toString('base64'));
  });

  it('crawls with credentials', async () => {
    const client = new RegistryClient({
      registry: registry.host,
      credentials: { username: USER, password: PASSWORD },
      dockerConfigPath: null,
    });
    const summary = await crawlRegistry(client, temp.index);
    await client.close();
    expect(summary.status).toBe('succeeded');
    const document = temp.index.getDocument(documentReference(registry.host, 'team/private', digest));
    expect(document?.model?.metrics.accuracy).toBe(0.9);
    expect(document?.tags).toEqual(['v1']);
  });

  it('crawls with credentials read from a Docker config file, as oras and crane do', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ocidex-docker-config-'));
    const configPath = join(directory, 'config.json');
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    writeFileSync(configPath, JSON.stringify({ auths: { [registry.host]: { auth } } }));
    try {
      const client = new RegistryClient({ registry: registry.host, dockerConfigPath: configPath });
      const summary = await crawlRegistry(client, temp.index);
      await client.close();
      expect(summary.status).toBe('succeeded');
      expect(summary.counts.repositories).toBe(1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
