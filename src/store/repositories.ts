/** Registry and repository rows: created on first write, looked up (never created) on reads. */
import type { IndexContext } from './context.js';

/** The id of registry `name`, creating its row when new. */
export function ensureRegistry(context: IndexContext, name: string, at: string): number {
  const { selectRegistry, insertRegistry } = context.statements;
  const row = selectRegistry.get(name) ?? insertRegistry.get(name, at);
  if (row === undefined) throw new Error(`registry row not created: ${name}`);
  return row.id;
}

/** The id of `registry/repository`, creating its rows when new. */
export function ensureRepository(context: IndexContext, registry: string, repository: string, at: string): number {
  const found = findRepositoryId(context, registry, repository);
  if (found !== null) return found;
  const registryId = ensureRegistry(context, registry, at);
  const row = context.statements.insertRepository.get(registryId, repository);
  if (row === undefined) throw new Error(`repository row not created: ${registry}/${repository}`);
  return row.id;
}

/** The id of `registry/repository`, or null when the index has never seen it. */
export function findRepositoryId(context: IndexContext, registry: string, repository: string): number | null {
  return context.statements.selectRepository.get(registry, repository)?.id ?? null;
}
