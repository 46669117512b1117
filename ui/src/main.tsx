/** The catalog: the reference client of ocidex's public API. One shell, four pages. */
import { type JSX, render } from 'preact';
import { ModelPage } from './model-page.js';
import { QueriesPage } from './queries-page.js';
import { RegistriesPage } from './registries-page.js';
import { onLinkClick, useLocation } from './router.js';
import { SearchPage } from './search-page.js';
import './style.css';

function App() {
  const { path, params } = useLocation();
  let page: JSX.Element;
  if (path.startsWith('/models/')) page = <ModelPage reference={decodeURIComponent(path.slice('/models/'.length))} />;
  else if (path === '/registries') page = <RegistriesPage />;
  else if (path === '/queries') page = <QueriesPage />;
  else page = <SearchPage params={params} />;
  const current = (target: string) => (path === target ? 'page' : undefined);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: delegation of link clicks (Enter on a link fires click too)
    // biome-ignore lint/a11y/noStaticElementInteractions: the handler only intercepts clicks on the <a> inside
    <div onClick={onLinkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="bar">
        <a class="brand" href="/">
          ocidex
        </a>
        <nav aria-label="Pages">
          <a href="/" aria-current={current('/')}>
            Search
          </a>
          <a href="/queries" aria-current={current('/queries')}>
            Saved queries
          </a>
          <a href="/registries" aria-current={current('/registries')}>
            Registries
          </a>
          <a href="/docs">API</a>
        </nav>
      </header>
      <main id="main">{page}</main>
    </div>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
