/**
 * Registry configurations of the service (schema v2): stored as JSON the service validates; the
 * index only keeps them. They never hold secrets (credentials are environment-variable names).
 */
import type { JsonObject } from '../domain/document.js';
import type { IndexContext } from './context.js';
import type { RegistryConfigRow } from './statements.js';

/** Where a stored configuration came from: the config file, or the API. */
export type RegistryConfigSource = 'file' | 'api';

/** One stored registry configuration. */
export interface StoredRegistryConfig {
  id: string;
  config: JsonObject;
  source: RegistryConfigSource;
  updatedAt: string;
}

/** Every stored configuration, ordered by id. */
export function listRegistryConfigs(context: IndexContext): StoredRegistryConfig[] {
  return context.statements.listRegistryConfigs.all().map(toStored);
}

/** The configuration `id`, or null. */
export function getRegistryConfig(context: IndexContext, id: string): StoredRegistryConfig | null {
  const row = context.statements.selectRegistryConfig.get(id);
  return row === undefined ? null : toStored(row);
}

/** Stores `config` under `id`; with `replace` false, only when `id` is free. Returns true when written. */
export function writeRegistryConfig(
  context: IndexContext,
  stored: Omit<StoredRegistryConfig, 'updatedAt'>,
  at: string,
  replace: boolean,
): boolean {
  const statement = replace ? context.statements.upsertRegistryConfig : context.statements.insertRegistryConfig;
  return statement.run(stored.id, JSON.stringify(stored.config), stored.source, at).changes > 0;
}

function toStored(row: RegistryConfigRow): StoredRegistryConfig {
  return { id: row.id, config: JSON.parse(row.json) as JsonObject, source: row.source, updatedAt: row.updatedAt };
}
