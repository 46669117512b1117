/**
 * Registries: each one's last crawls (status, counts, errors by code), live progress of a running
 * crawl (polled), and for an admin (token kept in sessionStorage only) "crawl now" and the schedule.
 */
import { useEffect, useState } from 'preact/hooks';
import { adminToken, api, ApiError, setAdminToken } from './api.js';
import { formatTime } from './format.js';
import { useApi } from './use-api.js';

interface Registry {
  id: string;
  url: string;
  schedule?: string;
}

interface Crawl {
  id: number;
  registry: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  counts: Record<string, number> | null;
  errorsByCode: Record<string, number> | null;
  fatal: { code: string; message: string } | null;
}

/** How often a running crawl is polled. */
const POLL_MS = 1000;

export function RegistriesPage() {
  const [token, setToken] = useState(adminToken() ?? '');
  const [refresh, setRefresh] = useState(0);
  const registries = useApi<{ items: Registry[] }>('/v1/registries', refresh);
  return (
    <div class="registries">
      <h1>Registries</h1>
      <form
        class="admin"
        onSubmit={(event) => {
          event.preventDefault();
          setAdminToken(token);
          setRefresh((n) => n + 1);
        }}
      >
        <label for="admin-token">Admin token (kept for this tab only)</label>
        <input
          id="admin-token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(event) => setToken((event.target as HTMLInputElement).value)}
        />
        <button type="submit">Use token</button>
        <button
          type="button"
          onClick={() => {
            setAdminToken(null);
            setToken('');
            setRefresh((n) => n + 1);
          }}
        >
          Forget
        </button>
      </form>
      {registries.error !== null ? (
        <p role="alert" class="error">
          {registries.error.message}
        </p>
      ) : null}
      {(registries.data?.items ?? []).map((registry) => (
        <RegistryCard key={registry.id} registry={registry} onChange={() => setRefresh((n) => n + 1)} />
      ))}
      {registries.data?.items.length === 0 ? <p class="muted">No registries configured.</p> : null}
      <AllCrawls refresh={refresh} />
    </div>
  );
}

function RegistryCard({ registry, onChange }: { registry: Registry; onChange: () => void }) {
  const [tick, setTick] = useState(0);
  const crawls = useApi<{ items: Crawl[] }>(`/v1/crawls?registry=${encodeURIComponent(registry.id)}&limit=5`, tick);
  const [message, setMessage] = useState<string | null>(null);
  const [schedule, setSchedule] = useState(registry.schedule ?? '');
  const running = crawls.data?.items.some((crawl) => crawl.status === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [running, tick]);
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setMessage(done);
      setTick((n) => n + 1);
      onChange();
    } catch (error) {
      setMessage(error instanceof ApiError ? `${error.message} (${error.code})` : String(error));
    }
  };
  const crawlNow = () =>
    act(
      () => api(`/v1/registries/${encodeURIComponent(registry.id)}/crawl`, { method: 'POST', admin: true }),
      'Crawl started.',
    );
  const saveSchedule = (event: Event) => {
    event.preventDefault();
    const body = JSON.stringify({ schedule: schedule.trim() === '' ? null : schedule.trim() });
    return act(
      () => api(`/v1/registries/${encodeURIComponent(registry.id)}`, { method: 'PATCH', body, admin: true }),
      'Schedule saved.',
    );
  };
  return (
    <section class="card" aria-labelledby={`registry-${registry.id}`}>
      <h2 id={`registry-${registry.id}`}>
        {registry.id} <span class="muted small">{registry.url}</span>
      </h2>
      <div class="admin-actions">
        <button type="button" onClick={crawlNow}>
          Crawl now
        </button>
        <form onSubmit={saveSchedule}>
          <label for={`schedule-${registry.id}`}>Schedule (cron, UTC)</label>
          <input
            id={`schedule-${registry.id}`}
            value={schedule}
            placeholder="0 */6 * * *"
            onInput={(event) => setSchedule((event.target as HTMLInputElement).value)}
          />
          <button type="submit">Save schedule</button>
        </form>
      </div>
      {message !== null ? <p role="status">{message}</p> : null}
      <CrawlTable crawls={crawls.data?.items ?? []} />
    </section>
  );
}

/** Crawls of every registry (CLI crawls of unconfigured registries included). */
function AllCrawls({ refresh }: { refresh: number }) {
  const crawls = useApi<{ items: Crawl[] }>('/v1/crawls?limit=10', refresh);
  return (
    <section aria-labelledby="all-crawls">
      <h2 id="all-crawls">Latest crawls</h2>
      <CrawlTable crawls={crawls.data?.items ?? []} />
    </section>
  );
}

function CrawlTable({ crawls }: { crawls: Crawl[] }) {
  if (crawls.length === 0) return <p class="muted">No crawls yet.</p>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on a phone; a scrollable region must be reachable by keyboard (axe scrollable-region-focusable)
    <section class="table-wrap" tabIndex={0} aria-label="Crawls">
      <table class="crawls">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Registry</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Counts</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {crawls.map((crawl) => (
            <tr key={crawl.id} data-status={crawl.status}>
              <td>{crawl.id}</td>
              <td>{crawl.registry}</td>
              <td>
                <span
                  class={`status ${crawl.status === 'succeeded' ? 'ok' : crawl.status === 'failed' ? 'bad' : 'warn'}`}
                >
                  {crawl.status}
                </span>
              </td>
              <td>
                {formatTime(crawl.startedAt)}
                {crawl.finishedAt ? ` – ${formatTime(crawl.finishedAt)}` : ''}
              </td>
              <td>
                {Object.entries(crawl.counts ?? {})
                  .filter(([, n]) => n > 0)
                  .map(([name, n]) => `${name} ${n}`)
                  .join(', ')}
              </td>
              <td>
                {Object.entries(crawl.errorsByCode ?? {})
                  .map(([code, n]) => `${code} ${n}`)
                  .join(', ') || 'none'}
                {crawl.fatal ? ` · ${crawl.fatal.message}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
