/** Splits a crawl target `[scheme://]host[:port][/repository]` into registry and repository. */
export function splitTarget(target: string): { registry: string; repository: string | null } {
  const scheme = /^(https?:\/\/)/i.exec(target)?.[1] ?? '';
  const rest = target.slice(scheme.length).replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  if (slash < 0) return { registry: scheme + rest, repository: null };
  return { registry: scheme + rest.slice(0, slash), repository: rest.slice(slash + 1) };
}
