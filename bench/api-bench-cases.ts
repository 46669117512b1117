/** The requests of the API benchmark (api-bench.ts, api-bench-postgres.ts). */

/** Items per page of `/v1/models` requests. */
export const PAGE = 20;
export const SELECTIVE_QUERY = "$[?@.model.license == 'gemma' && @.model.metrics.accuracy > 0.999]";
export const models = (q: string) => `/v1/models?q=${encodeURIComponent(q)}&limit=${PAGE}`;
/** The catalog's landing page: the first page by last update, and four facets over every document. */
const LANDING_PAGE = 24;
const LANDING_FACETS = ['@.kind', '@.model.license', '@.model.format', '@.signed']
  .map((path) => `path=${encodeURIComponent(path)}`)
  .join('&');

export const CASES = [
  { name: "selective: license == 'gemma' && accuracy > 0.999", path: models(SELECTIVE_QUERY) },
  { name: 'non-selective first page: unsigned models', path: models("$[?@.kind == 'model' && @.signed == false]") },
  {
    name: 'catalog landing: newest first, 24',
    path: `/v1/models?sort=${encodeURIComponent('@.crawledAt')}&order=desc&limit=${LANDING_PAGE}`,
  },
  { name: 'catalog landing: four facets, all documents', path: `/v1/facets?${LANDING_FACETS}` },
  { name: "text search 'llama chat', 24", path: `/v1/models?text=llama%20chat&limit=${LANDING_PAGE}` },
  { name: "four facets of text 'llama chat'", path: `/v1/facets?${LANDING_FACETS}&text=llama%20chat` },
  {
    name: 'the filter (license MIT), 24',
    path: `/v1/models?q=${encodeURIComponent("$[?@.model.license == 'MIT']")}&limit=${LANDING_PAGE}`,
  },
  {
    name: 'four facets of a filter (license MIT)',
    path: `/v1/facets?${LANDING_FACETS}&q=${encodeURIComponent("$[?@.model.license == 'MIT']")}`,
  },
];

/** One request first: the status and how many items the page holds. */
export async function preflight(url: string): Promise<string> {
  const response = await fetch(url);
  const body = (await response.json()) as {
    items?: unknown[];
    nextCursor?: string | null;
    facets?: Array<{ values: unknown[] }>;
  };
  if (body.facets !== undefined)
    return `HTTP ${response.status}, ${body.facets.map((facet) => facet.values.length).join('/')} values`;
  return `HTTP ${response.status}, ${body.items?.length ?? 0} items${body.nextCursor ? ', more pages' : ''}`;
}
