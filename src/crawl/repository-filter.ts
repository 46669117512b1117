/** Include/exclude globs over repository names (`models/**`, `!**\/tmp-*` style via picomatch). */
import picomatch from 'picomatch';

/** A predicate: included by any `include` glob (or all when none) and by no `exclude` glob. */
export function repositoryFilter(
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): (name: string) => boolean {
  const included = include.length > 0 ? picomatch([...include]) : () => true;
  const excluded = exclude.length > 0 ? picomatch([...exclude]) : () => false;
  return (name) => included(name) && !excluded(name);
}

/** Filters a (paged) stream of repository names lazily. */
export async function* filterRepositories(
  names: Iterable<string> | AsyncIterable<string>,
  accept: (name: string) => boolean,
): AsyncIterable<string> {
  for await (const name of names) if (accept(name)) yield name;
}
