/**
 * Saved queries: `queries/*.yaml`, each `{name, description, query, dialect?, sort?, order?}`.
 * Loaded and checked at start-up (every query parsed, every sort path checked); any problem is
 * an error naming the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isOcidexError, OcidexError } from '../domain/errors.js';
import { checkDialect, compileQuery } from './compile.js';
import { parseDocumentPath } from './sort.js';
import type { SavedQuery } from './types.js';

const FIELDS = new Set(['name', 'description', 'query', 'dialect', 'sort', 'order']);
const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Loads every `*.yaml` / `*.yml` of `directory`, sorted by file name; throws naming the broken file. */
export function loadSavedQueries(directory: string): SavedQuery[] {
  let files: string[];
  try {
    files = readdirSync(directory)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort();
  } catch (error) {
    throw new OcidexError(
      'invalid_argument',
      `cannot read saved queries in ${directory}: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  const queries = files.map((file) => loadFile(join(directory, file)));
  const seen = new Map<string, string>();
  for (const query of queries) {
    const other = seen.get(query.name);
    if (other !== undefined)
      throw new OcidexError('invalid_argument', `${query.file}: name '${query.name}' already used by ${other}`);
    seen.set(query.name, query.file);
  }
  return queries;
}

function loadFile(file: string): SavedQuery {
  try {
    return checkSavedQuery(parseYaml(readFileSync(file, 'utf8')) as unknown, file);
  } catch (error) {
    const message = `${file}: ${(error as Error).message}`;
    if (isOcidexError(error)) throw new OcidexError(error.code, message, error.details, { cause: error });
    throw new OcidexError('invalid_argument', message, {}, { cause: error });
  }
}

function checkSavedQuery(data: unknown, file: string): SavedQuery {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('expected a mapping');
  const record = data as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`unknown field(s): ${unknown.join(', ')}`);
  const { name, description, query, sort, order } = record;
  if (typeof name !== 'string' || !NAME.test(name)) throw new Error('name must be lower-case words joined by hyphens');
  if (typeof description !== 'string' || description.trim() === '')
    throw new Error('description must be a non-empty string');
  if (typeof query !== 'string') throw new Error('query must be a string');
  const dialect = checkDialect(record['dialect']);
  compileQuery(query, dialect);
  if (sort !== undefined && typeof sort !== 'string') throw new Error('sort must be a path string');
  if (typeof sort === 'string') parseDocumentPath(sort, 'sort');
  if (order !== undefined && order !== 'asc' && order !== 'desc') throw new Error("order must be 'asc' or 'desc'");
  const saved: SavedQuery = { name, description: description.trim(), query, dialect, file };
  if (typeof sort === 'string') saved.sort = sort;
  if (order !== undefined) saved.order = order;
  return saved;
}
