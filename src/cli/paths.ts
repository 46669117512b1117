/** Files shipped with the package, found from the running module wherever it was installed. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest ancestor of this module holding package.json. */
export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('ocidex: cannot find its package root');
    directory = parent;
  }
  return directory;
}

/** The saved queries shipped in `queries/`. */
export function savedQueriesDir(): string {
  return join(packageRoot(), 'queries');
}
