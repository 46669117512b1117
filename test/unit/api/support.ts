/**
 * API test helpers: a temp index filled through the crawl path (put, referrers, sync), a real
 * query engine, and in-memory doubles of the services the next issue implements (registry
 * configs, crawl coordinator, push-event sink) that record their calls.
 */
import { OcidexError } from '../../../src/domain/errors.js';
import type {
  ApiConfig,
  ApiDeps,
  ApiLogger,
  CrawlCoordinator,
  PushEventSink,
  RegistryConfigStore,
} from '../../../src/api/index.js';
import type { CrawlTrigger, PushEvent, RegistryConfig, RegistryPatch } from '../../../src/domain/registry.js';
import { createApp, createMetrics } from '../../../src/api/index.js';
import type { IndexStore } from '../../../src/store/index.js';
import { InProcessQueries, QueryEngine, type SavedQuery } from '../../../src/query/index.js';
import { applyCrawl, digestOf, modelDocument, REGISTRY, REPOSITORY, referrer, tempIndexes } from '../store/fixtures.js';

export { REGISTRY, REPOSITORY, digestOf };

export const ADMIN_TOKEN = 'admin-token-0123456789';
export const READ_TOKEN = 'read-token-0123456789';
export const EVENT_SECRET = 'event-secret-0123456789';

/** Registry configs in a Map; `failWith` makes every call throw (for 500 tests). */
export class MemoryRegistryStore implements RegistryConfigStore {
  readonly configs = new Map<string, RegistryConfig>();
  failWith: Error | null = null;
  /** Makes `get` never resolve (for timeout tests). */
  hang = false;

  async list(): Promise<RegistryConfig[]> {
    this.#check();
    return [...this.configs.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
  async get(id: string): Promise<RegistryConfig | null> {
    this.#check();
    if (this.hang) await new Promise(() => {});
    return this.configs.get(id) ?? null;
  }
  async create(config: RegistryConfig): Promise<RegistryConfig> {
    this.#check();
    if (this.configs.has(config.id)) throw new OcidexError('invalid_argument', `registry ${config.id} exists`);
    this.configs.set(config.id, structuredClone(config));
    return structuredClone(config);
  }
  async update(id: string, patch: RegistryPatch): Promise<RegistryConfig | null> {
    this.#check();
    const current = this.configs.get(id);
    if (current === undefined) return null;
    const next: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete next[key];
      else if (value !== undefined) next[key] = value;
    }
    this.configs.set(id, next as unknown as RegistryConfig);
    return structuredClone(next) as unknown as RegistryConfig;
  }
  async remove(id: string): Promise<boolean> {
    this.#check();
    return this.configs.delete(id);
  }
  #check(): void {
    if (this.failWith !== null) throw this.failWith;
  }
}

/** Records each start as a running crawl in the index, like the embedded coordinator will. */
export class RecordingCoordinator implements CrawlCoordinator {
  readonly calls: Array<{ registryId: string; trigger: CrawlTrigger }> = [];
  constructor(
    private readonly index: IndexStore,
    private readonly registries: RegistryConfigStore,
  ) {}
  async start(registryId: string, trigger: CrawlTrigger): Promise<{ crawlId: number }> {
    this.calls.push({ registryId, trigger });
    const config = await this.registries.get(registryId);
    return { crawlId: this.index.startRun(config?.url ?? registryId, { trigger }) };
  }
}

export class RecordingSink implements PushEventSink {
  readonly pushed: PushEvent[] = [];
  readonly removed: PushEvent[] = [];
  async push(event: PushEvent): Promise<void> {
    this.pushed.push(event);
  }
  async remove(event: PushEvent): Promise<void> {
    this.removed.push(event);
  }
}

export class RecordingLogger implements ApiLogger {
  readonly entries: Array<{ message: string; fields: Record<string, unknown> }> = [];
  error(message: string, fields: Record<string, unknown>): void {
    this.entries.push({ message, fields });
  }
}

/** The documents of the fixture index: two tagged models (one signed), one untagged. */
export const LLAMA = modelDocument('llama');
export const MISTRAL = modelDocument('mistral', {
  model: { ...modelDocument('mistral').model!, license: 'MIT', family: 'mistral' },
  size: 9000,
});
export const OLD_LLAMA = modelDocument('llama-old');
export const SIGNATURE = referrer('llama-signature', 'signature');

export const SAVED_QUERIES: SavedQuery[] = [
  {
    name: 'mit-models',
    description: 'Models under the MIT license',
    query: "$[?@.model.license == 'MIT']",
    dialect: 'rfc9535',
    file: '/srv/ocidex/queries/mit-models.yaml',
  },
  {
    name: 'by-size',
    description: 'Every document, largest first',
    query: '$[*].reference',
    dialect: 'rfc9535',
    sort: '@.size',
    order: 'desc',
    file: '/srv/ocidex/queries/by-size.yaml',
  },
];

export interface ApiFixture {
  app: ReturnType<typeof createApp>;
  deps: ApiDeps;
  index: IndexStore;
  registries: MemoryRegistryStore;
  coordinator: RecordingCoordinator;
  sink: RecordingSink;
  logger: RecordingLogger;
  ready: { ok: boolean; checks: Record<string, boolean> };
  cleanup(): void;
}

/**
 * A temp index after two crawls: `llama-old` tagged `v1`, then `v1` moved to `llama`, `latest`
 * on `mistral`; `llama` signed. One registry `local` configured for REGISTRY.
 */
export function apiFixture(config: ApiConfig = { adminToken: ADMIN_TOKEN, eventSecret: EVENT_SECRET }): ApiFixture {
  const temp = tempIndexes();
  const index = temp.open();
  applyCrawl(index, { tags: { v1: OLD_LLAMA }, at: '2025-03-01T10:00:00.000Z' });
  applyCrawl(index, {
    tags: { v1: LLAMA, latest: MISTRAL },
    referrers: { [LLAMA.digest]: [SIGNATURE] },
    at: '2025-03-02T10:00:00.000Z',
  });
  const registries = new MemoryRegistryStore();
  registries.configs.set('local', {
    id: 'local',
    url: `http://${REGISTRY}`,
    credentials: { passwordEnv: 'OCIDEX_CRED_LOCAL_PASSWORD' },
  });
  const coordinator = new RecordingCoordinator(index, registries);
  const sink = new RecordingSink();
  const logger = new RecordingLogger();
  const ready = { ok: true, checks: { index: true } as Record<string, boolean> };
  const deps: ApiDeps = {
    index,
    queries: new InProcessQueries(new QueryEngine(index.db)),
    savedQueries: SAVED_QUERIES,
    registries,
    crawls: coordinator,
    events: sink,
    readiness: async () => ready,
    metrics: createMetrics({ documents: () => index.countDocuments(), queueDepth: () => ({ crawl: 3 }) }),
    config,
    logger,
  };
  return { app: createApp(deps), deps, index, registries, coordinator, sink, logger, ready, cleanup: temp.cleanup };
}

/** Headers with `Authorization: Bearer <token>` (and JSON content when `json`). */
export function bearer(token: string, json = false): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...(json ? { 'Content-Type': 'application/json' } : {}) };
}

/** The parsed JSON body of `response`, typed loosely for assertions. */
export async function body(response: Response): Promise<any> {
  return response.json();
}

/** Asserts the error shape and returns its code. */
export async function errorOf(response: Response): Promise<{ code: string; message: string; position?: number }> {
  const json = (await response.json()) as { error?: { code: string; message: string; position?: number } };
  if (json.error === undefined || typeof json.error.code !== 'string' || typeof json.error.message !== 'string') {
    throw new Error(`not the error shape: ${JSON.stringify(json)}`);
  }
  return json.error;
}
