/**
 * The search page's state, all of it in the URL (shareable, bookmarkable): words, an advanced
 * JSONPath query and its dialect, facet selections, sort and cursor. Facet selections become a
 * filter in the query's dialect: values of one facet OR'ed, facets AND'ed.
 */

/** A facet the catalog offers: its label, URL key and document path. */
export interface FacetSpec {
  key: string;
  label: string;
  path: string;
}

/** The facets of the search page, in display order. */
export const FACETS: readonly FacetSpec[] = [
  { key: 'kind', label: 'Kind', path: '@.kind' },
  { key: 'license', label: 'License', path: '@.model.license' },
  { key: 'format', label: 'Format', path: '@.model.format' },
  { key: 'signed', label: 'Signed', path: '@.signed' },
  { key: 'verified', label: 'Verified', path: '@.verified' },
  { key: 'mountable', label: 'Mountable (image volume)', path: '@.mount.imageVolume' },
  { key: 'registry', label: 'Registry', path: '@.registry' },
  { key: 'repository', label: 'Repository', path: '@.repository' },
  { key: 'size', label: 'Parameter size', path: '@.model.paramSize' },
  { key: 'quantization', label: 'Quantization', path: '@.model.quantization' },
];

/** Sort choices: label and document path (the metric choices are added from the results). */
export const SORTS: ReadonlyArray<{ key: string; label: string; path: string }> = [
  { key: 'updated', label: 'Last updated', path: '@.crawledAt' },
  { key: 'name', label: 'Name', path: '@.model.name' },
  { key: 'size', label: 'Size', path: '@.size' },
  { key: 'accuracy', label: 'Accuracy', path: '@.model.metrics.accuracy' },
];

/** Everything a search is. */
export interface SearchState {
  text: string;
  q: string;
  dialect: 'rfc9535' | 'jsonpath-plus';
  /** facet key -> selected values as JSON text (`"MIT"`, `true`, `null`) */
  filters: Record<string, string[]>;
  sort: string;
  order: 'asc' | 'desc';
  cursor: string;
  /** Results per page. */
  limit: number;
}

/** Results per page unless the URL says otherwise, and the most it may say. */
export const PAGE_SIZE = 24;
const MAX_PAGE_SIZE = 100;

/** The state in `params` (the page's query string). */
export function readState(params: URLSearchParams): SearchState {
  const filters: Record<string, string[]> = {};
  for (const facet of FACETS) {
    const values = params.getAll(facet.key);
    if (values.length > 0) filters[facet.key] = values;
  }
  const dialect = params.get('dialect') === 'jsonpath-plus' ? 'jsonpath-plus' : 'rfc9535';
  const sort = params.get('sort') ?? 'updated';
  const order = params.get('order') === 'asc' ? 'asc' : params.get('order') === 'desc' ? 'desc' : defaultOrder(sort);
  const limit = Number.parseInt(params.get('limit') ?? '', 10);
  return {
    text: params.get('text') ?? '',
    q: params.get('q') ?? '',
    dialect,
    filters,
    sort,
    order,
    cursor: params.get('cursor') ?? '',
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_PAGE_SIZE) : PAGE_SIZE,
  };
}

/** Newest and largest first; names A to Z. */
export function defaultOrder(sort: string): 'asc' | 'desc' {
  return sort === 'name' ? 'asc' : 'desc';
}

/** The query string of `state` (defaults left out). */
export function writeState(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.text !== '') params.set('text', state.text);
  if (state.q !== '') params.set('q', state.q);
  if (state.dialect !== 'rfc9535') params.set('dialect', state.dialect);
  for (const facet of FACETS) for (const value of state.filters[facet.key] ?? []) params.append(facet.key, value);
  if (state.sort !== 'updated') params.set('sort', state.sort);
  if (state.order !== defaultOrder(state.sort)) params.set('order', state.order);
  if (state.limit !== PAGE_SIZE) params.set('limit', String(state.limit));
  if (state.cursor !== '') params.set('cursor', state.cursor);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The document path of a sort key (`metric:f1` sorts by that metric). */
export function sortPath(sort: string): string {
  if (sort.startsWith('metric:')) return `@.model.metrics[${JSON.stringify(sort.slice('metric:'.length))}]`;
  return SORTS.find((choice) => choice.key === sort)?.path ?? '@.crawledAt';
}

/** A JSON value as a literal of the dialect (strings single-quoted, escaped). */
function literal(json: string): string {
  const value = JSON.parse(json) as unknown;
  if (typeof value !== 'string') return JSON.stringify(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The facet selections as one filter expression, or null when nothing is selected. */
export function filterExpression(state: SearchState): string | null {
  const equals = state.dialect === 'jsonpath-plus' ? '===' : '==';
  const parts: string[] = [];
  for (const facet of FACETS) {
    const values = state.filters[facet.key] ?? [];
    if (values.length === 0) continue;
    const alternatives = values.map((value) => `${facet.path} ${equals} ${literal(value)}`);
    parts.push(alternatives.length === 1 ? (alternatives[0] as string) : `(${alternatives.join(' || ')})`);
  }
  return parts.length === 0 ? null : parts.join(' && ');
}

/** The advanced query's filter, when it is `$[?…]` (its inner expression), else null. */
function innerFilter(q: string): string | null {
  const match = /^\s*\$\[\?([\s\S]*)\]\s*$/.exec(q);
  return match === null ? null : (match[1] as string);
}

/**
 * The query sent to the API: the advanced query with the facet filter added, or the facet filter
 * alone. `combinable` is false when facets cannot be added to the advanced query's shape.
 */
export function effectiveQuery(state: SearchState): { q: string | undefined; combinable: boolean } {
  const filter = filterExpression(state);
  const wrap = (expression: string) =>
    state.dialect === 'jsonpath-plus' ? `$[?(${expression})]` : `$[?${expression}]`;
  if (state.q.trim() === '') return { q: filter === null ? undefined : wrap(filter), combinable: true };
  if (filter === null) return { q: state.q, combinable: innerFilter(state.q) !== null };
  const inner = innerFilter(state.q);
  if (inner === null) return { q: state.q, combinable: false };
  return { q: wrap(`(${inner}) && ${filter}`), combinable: true };
}
