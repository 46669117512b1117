/** The search page: words, an advanced JSONPath query, facets with counts, sort, cursor paging. */
import { useEffect, useState } from 'preact/hooks';
import { type Doc, type Facet, type Page, queryString } from './api.js';
import { Facets } from './facets.js';
import { ResultList } from './result-list.js';
import { navigate } from './router.js';
import { effectiveQuery, FACETS, readState, type SearchState, SORTS, sortPath, writeState } from './search-state.js';
import { useApi } from './use-api.js';

/** Phone widths start with the filters folded, so the results come first. */
const PHONE = window.matchMedia('(max-width: 760px)');

/** Goes to the search of `state`. */
function go(state: SearchState): void {
  navigate(`/${writeState(state)}`);
}

export function SearchPage({ params }: { params: URLSearchParams }) {
  const state = readState(params);
  const { q, combinable } = effectiveQuery(state);
  const common = { q, text: state.text.trim(), dialect: state.dialect === 'rfc9535' ? undefined : state.dialect };
  const results = useApi<Page<unknown>>(
    `/v1/models${queryString({ ...common, sort: sortPath(state.sort), order: state.order, limit: String(state.limit), cursor: state.cursor })}`,
  );
  const facets = useApi<{ facets: Facet[] }>(
    `/v1/facets${queryString({ ...common, path: FACETS.map((facet) => facet.path) })}`,
  );
  const queryError =
    results.error?.code === 'invalid_query' || results.error?.code === 'invalid_argument' ? results.error : null;
  return (
    <div class="search">
      <SearchForm state={state} error={queryError} />
      <div class="columns">
        <aside aria-label="Filters">
          <details class="filters" open={!PHONE.matches}>
            <summary>Filters</summary>
            <Facets state={state} facets={facets.data?.facets ?? []} disabled={!combinable} onChange={go} />
          </details>
        </aside>
        <section aria-label="Results" class="results">
          <ResultBar state={state} page={results.data} />
          {results.error !== null && queryError === null ? (
            <p role="alert" class="error">
              {results.error.message}
            </p>
          ) : null}
          {results.loading && results.data === null ? <p aria-live="polite">Loading…</p> : null}
          {results.data !== null ? <ResultList items={results.data.items} /> : null}
          <Paging state={state} next={results.data?.nextCursor ?? null} />
        </section>
      </div>
    </div>
  );
}

function SearchForm({
  state,
  error,
}: {
  state: SearchState;
  error: { message: string; position?: number | undefined } | null;
}) {
  const [text, setText] = useState(state.text);
  const [q, setQ] = useState(state.q);
  const [dialect, setDialect] = useState(state.dialect);
  useEffect(() => {
    setText(state.text);
    setQ(state.q);
    setDialect(state.dialect);
  }, [state.text, state.q, state.dialect]);
  const submit = (event: Event) => {
    event.preventDefault();
    go({ ...state, text, q, dialect, cursor: '' });
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not in Preact's JSX types; role=search on a form is valid ARIA
    <form role="search" class="search-form" onSubmit={submit}>
      <label for="text" class="visually-hidden">
        Search models
      </label>
      <input
        id="text"
        name="text"
        type="search"
        placeholder="Search models: llama 8b gguf"
        value={text}
        onInput={(event) => setText((event.target as HTMLInputElement).value)}
      />
      <button type="submit">Search</button>
      <details open={state.q !== ''}>
        <summary>Advanced: JSONPath query</summary>
        <label for="q">Query</label>
        <textarea
          id="q"
          name="q"
          rows={2}
          spellcheck={false}
          placeholder="$[?@.model.metrics.accuracy > 0.9]"
          value={q}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? 'q-error' : undefined}
          onInput={(event) => setQ((event.target as HTMLTextAreaElement).value)}
        />
        <label for="dialect">Dialect</label>
        <select
          id="dialect"
          name="dialect"
          value={dialect}
          onChange={(event) => setDialect((event.target as HTMLSelectElement).value as SearchState['dialect'])}
        >
          <option value="rfc9535">RFC 9535</option>
          <option value="jsonpath-plus">jsonpath-plus</option>
        </select>
      </details>
      {error !== null ? (
        <p id="q-error" role="alert" class="error">
          {error.message}
          {error.position !== undefined ? ` (at character ${error.position})` : ''}
        </p>
      ) : null}
    </form>
  );
}

function ResultBar({ state, page }: { state: SearchState; page: Page<unknown> | null }) {
  const metrics = new Set<string>();
  for (const item of page?.items ?? [])
    for (const name of Object.keys((item as Partial<Doc> | null)?.model?.metrics ?? {}))
      if (name !== 'accuracy') metrics.add(name);
  if (state.sort.startsWith('metric:')) metrics.add(state.sort.slice('metric:'.length));
  const setSort = (sort: string) => go({ ...state, sort, order: sort === 'name' ? 'asc' : 'desc', cursor: '' });
  return (
    <div class="result-bar">
      <label for="sort">Sort by</label>
      <select id="sort" value={state.sort} onChange={(event) => setSort((event.target as HTMLSelectElement).value)}>
        {SORTS.map((choice) => (
          <option value={choice.key}>{choice.label}</option>
        ))}
        {[...metrics].sort().map((name) => (
          <option value={`metric:${name}`}>{`Metric: ${name}`}</option>
        ))}
      </select>
      <button
        type="button"
        aria-label={`Order: ${state.order === 'asc' ? 'ascending' : 'descending'}, change`}
        onClick={() => go({ ...state, order: state.order === 'asc' ? 'desc' : 'asc', cursor: '' })}
      >
        {state.order === 'asc' ? '↑ ascending' : '↓ descending'}
      </button>
      {page?.total !== undefined ? <span class="muted">{page.total} results</span> : null}
    </div>
  );
}

function Paging({ state, next }: { state: SearchState; next: string | null }) {
  return (
    <nav class="paging" aria-label="Pages of results">
      {state.cursor !== '' ? <a href={`/${writeState({ ...state, cursor: '' })}`}>First page</a> : null}
      {next !== null ? (
        <a href={`/${writeState({ ...state, cursor: next })}`} rel="next">
          Next page
        </a>
      ) : null}
    </nav>
  );
}
