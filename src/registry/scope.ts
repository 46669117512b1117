/**
 * Token scopes (distribution token spec: `type:name:actions`). Scopes for the same resource are
 * merged and everything sorted, so equal needs give equal token-cache keys (oras-go `auth/scope.go`).
 */

/** Scope to list the catalog. */
export const CATALOG_SCOPE = 'registry:catalog:*';

/** Pull scope for a repository. */
export function repositoryPullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

/** Splits a challenge's `scope` parameter (space separated). */
export function splitScopes(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(' ').filter((scope) => scope !== '');
}

/**
 * Merged, sorted scopes: actions of the same `type:name` united (`*` absorbs the others),
 * scopes without actions dropped, unparseable ones kept as they are.
 */
export function cleanScopes(scopes: Iterable<string>): string[] {
  const actionsByResource = new Map<string, Set<string>>();
  const verbatim = new Set<string>();
  for (const scope of scopes) {
    const actionsAt = scope.lastIndexOf(':');
    const resource = scope.slice(0, actionsAt);
    if (actionsAt <= 0 || !resource.includes(':')) {
      verbatim.add(scope);
      continue;
    }
    const actions = actionsByResource.get(resource) ?? new Set<string>();
    for (const action of scope.slice(actionsAt + 1).split(',')) if (action !== '') actions.add(action);
    actionsByResource.set(resource, actions);
  }
  const merged = [...actionsByResource]
    .filter(([, actions]) => actions.size > 0)
    .map(([resource, actions]) => `${resource}:${actions.has('*') ? '*' : [...actions].sort().join(',')}`);
  return [...merged, ...verbatim].sort();
}
