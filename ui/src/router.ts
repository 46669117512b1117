/** Client-side navigation: pages are paths (`/`, `/models/<reference>`, `/registries`, `/queries`), state is the query string. */
import { useEffect, useState } from 'preact/hooks';

/** Goes to `href` (same origin) without reloading, adding a history entry. */
export function navigate(href: string): void {
  history.pushState(null, '', href);
  window.dispatchEvent(new Event('ocidex:navigate'));
  window.scrollTo(0, 0);
}

/** The current location, updated on navigation and back/forward. */
export function useLocation(): { path: string; params: URLSearchParams } {
  const read = () => ({ path: location.pathname, params: new URLSearchParams(location.search) });
  const [current, setCurrent] = useState(read);
  useEffect(() => {
    const update = () => setCurrent(read());
    window.addEventListener('popstate', update);
    window.addEventListener('ocidex:navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('ocidex:navigate', update);
    };
  }, []);
  return current;
}

/** The href of a model's page. */
export function modelHref(reference: string): string {
  return `/models/${encodeURIComponent(reference)}`;
}

/** Click handler for in-app links: plain left clicks navigate in place. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  const anchor = (event.target as Element).closest('a');
  if (anchor === null || anchor.origin !== location.origin || anchor.target !== '') return;
  if (anchor.pathname.startsWith('/v1/') || anchor.pathname.startsWith('/docs') || anchor.pathname === '/openapi.json')
    return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}
