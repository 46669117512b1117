/** Saved queries (GET /v1/queries) as one-click searches, each with how many items it returns. */
import { queryString } from './api.js';
import { useApi } from './use-api.js';

interface SavedQuery {
  name: string;
  description: string;
  query: string;
  dialect: 'rfc9535' | 'jsonpath-plus';
}

/** Items counted per saved query at most. */
const COUNT_CAP = 1000;

export function QueriesPage() {
  const queries = useApi<{ items: SavedQuery[] }>('/v1/queries');
  return (
    <div>
      <h1>Saved queries</h1>
      {queries.error !== null ? (
        <p role="alert" class="error">
          {queries.error.message}
        </p>
      ) : null}
      <ul class="saved">
        {(queries.data?.items ?? []).map((query) => (
          <SavedQueryItem key={query.name} query={query} />
        ))}
      </ul>
    </div>
  );
}

function SavedQueryItem({ query }: { query: SavedQuery }) {
  const results = useApi<{ items: unknown[]; nextCursor: string | null }>(
    `/v1/queries/${encodeURIComponent(query.name)}/results?limit=${COUNT_CAP}`,
  );
  const count =
    results.data === null ? '…' : `${results.data.items.length}${results.data.nextCursor !== null ? '+' : ''}`;
  const href = `/${queryString({ q: query.query, dialect: query.dialect === 'rfc9535' ? undefined : query.dialect })}`;
  return (
    <li class="card">
      <h2>
        <a href={href}>{query.name}</a>{' '}
        {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: the count is announced as "N results"; its text stays the bare number (the catalog test reads it) */}
        <span class="count" aria-label={`${count} results`}>
          {count}
        </span>
      </h2>
      <p>{query.description}</p>
      <pre class="mono">{query.query}</pre>
    </li>
  );
}
