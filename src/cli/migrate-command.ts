/**
 * `ocidex migrate --from ocidex.db --to postgres://…`: copies a whole index into another
 * database (SQLite or PostgreSQL, either way; src/store/copy-index.ts), then prints the rows
 * copied per table. The source is opened readonly (a missing file is an error, never created);
 * the target is created and migrated, and must be empty unless `--replace`.
 */
import { copyIndex, openIndex } from '../store/index.js';

export interface MigrateOptions {
  from: string;
  to: string;
  replace?: boolean;
}

/** Runs the command; resolves with the exit code. */
export async function runMigrate(options: MigrateOptions): Promise<number> {
  const started = performance.now();
  const source = openIndex(options.from, { readonly: true });
  try {
    const target = openIndex(options.to);
    try {
      const counts = copyIndex(source, target, { replace: options.replace === true });
      const width = Math.max(...counts.map((count) => count.table.length));
      for (const { table, rows } of counts) process.stdout.write(`${table.padEnd(width)}  ${rows}\n`);
      const total = counts.reduce((sum, count) => sum + count.rows, 0);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`copied ${total} rows from ${source.db.name} to ${target.db.name} in ${seconds} s\n`);
      return 0;
    } finally {
      target.close();
    }
  } finally {
    source.close();
  }
}
