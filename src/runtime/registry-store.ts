/**
 * Registry configurations kept in the index (table `registry_configs`): the `RegistryConfigStore`
 * of embedded mode. Only the known fields are stored (credentials as variable names, never
 * values); a schedule must be a cron expression cron-parser reads. Listeners hear every change,
 * so schedules and clients follow a PATCH without a restart.
 */
import type { RegistryConfigStore } from '../api/index.js';
import type { RegistryConfig, RegistryPatch } from '../domain/registry.js';
import { RegistryConfigSchema, shownRegistry } from '../config/registry-schema.js';
import type { JsonObject } from '../domain/document.js';
import { OcidexError } from '../domain/errors.js';
import type { IndexStore, RegistryConfigSource, StoredRegistryConfig } from '../store/index.js';
import { scheduleProblem } from './schedule.js';

/** A registry added or changed (`config`), or removed (`config` null). */
export interface RegistryChange {
  id: string;
  config: RegistryConfig | null;
}

export type RegistryChangeListener = (change: RegistryChange) => void;

/** The registry store of embedded mode, over the index. */
export class IndexRegistryStore implements RegistryConfigStore {
  readonly #index: IndexStore;
  readonly #listeners = new Set<RegistryChangeListener>();

  constructor(index: IndexStore) {
    this.#index = index;
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  onChange(listener: RegistryChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async list(): Promise<RegistryConfig[]> {
    return this.#index.listRegistryConfigs().map(toConfig);
  }

  async get(id: string): Promise<RegistryConfig | null> {
    const stored = this.#index.getRegistryConfig(id);
    return stored === null ? null : toConfig(stored);
  }

  async create(config: RegistryConfig): Promise<RegistryConfig> {
    const clean = checked(config);
    if (!this.#index.putRegistryConfig({ id: clean.id, config: toJson(clean), source: 'api' }, { replace: false })) {
      throw new OcidexError('invalid_argument', `registry '${clean.id}' already exists`);
    }
    this.#emit({ id: clean.id, config: clean });
    return clean;
  }

  async update(id: string, patch: RegistryPatch): Promise<RegistryConfig | null> {
    const current = await this.get(id);
    if (current === null) return null;
    const next = checked(applyPatch(current, patch));
    this.#write(next, 'api');
    return next;
  }

  async remove(id: string): Promise<boolean> {
    const removed = this.#index.deleteRegistryConfig(id);
    if (removed) this.#emit({ id, config: null });
    return removed;
  }

  /**
   * Makes the file's registries the stored ones of source `file`: each is upserted (a registry
   * the API changed is overwritten by the file), and file registries no longer in it are removed.
   */
  syncFile(registries: readonly RegistryConfig[]): { upserted: number; removed: number } {
    const wanted = new Set(registries.map((registry) => registry.id));
    let removed = 0;
    for (const stored of this.#index.listRegistryConfigs()) {
      if (stored.source !== 'file' || wanted.has(stored.id)) continue;
      if (this.#index.deleteRegistryConfig(stored.id)) removed += 1;
      this.#emit({ id: stored.id, config: null });
    }
    for (const registry of registries) this.#write(checked(registry), 'file');
    return { upserted: registries.length, removed };
  }

  #write(config: RegistryConfig, source: RegistryConfigSource): void {
    this.#index.putRegistryConfig({ id: config.id, config: toJson(config), source }, { replace: true });
    this.#emit({ id: config.id, config });
  }

  #emit(change: RegistryChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

/** The known fields of a valid config with a readable schedule; else `invalid_argument`. */
function checked(config: RegistryConfig): RegistryConfig {
  const parsed = RegistryConfigSchema.safeParse(shownRegistry(config));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OcidexError(
      'invalid_argument',
      `registry '${config.id}': ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const problem = typeof parsed.data.schedule === 'string' ? scheduleProblem(parsed.data.schedule) : null;
  if (problem !== null) throw new OcidexError('invalid_argument', `schedule: ${problem}`);
  return shownRegistry(parsed.data);
}

/** RFC 7396 merge of a validated patch: null removes a field, absent keeps it. */
function applyPatch(current: RegistryConfig, patch: RegistryPatch): RegistryConfig {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id' || value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as RegistryConfig;
}

function toJson(config: RegistryConfig): JsonObject {
  return JSON.parse(JSON.stringify(config)) as JsonObject;
}

function toConfig(stored: StoredRegistryConfig): RegistryConfig {
  return shownRegistry({ ...(stored.config as unknown as RegistryConfig), id: stored.id });
}
