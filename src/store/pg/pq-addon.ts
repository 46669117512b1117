/**
 * native/pq (pq.c), the Node-API addon under PgSession: its calls and results, where it is found
 * (built by `npm install` into native/pq/build), and the connection string a session opens.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A result as the addon gives it: text values by column, the type oids, or the failure. */
export interface PqResult {
  /** libpq's status name (`PGRES_TUPLES_OK`, ...), or `CONNECTION` when the connection failed. */
  status: string;
  tuples: string;
  sqlstate?: string;
  message?: string;
  columns?: string[];
  types?: number[];
  rows?: Array<Array<string | null>>;
}

export type Handle = object;
export type Params = Array<string | null>;
/** A step of one round trip: a statement, a preparation (name, text, parameter count) or a prepared statement. */
export type StepSpec = [0, string, Params] | [1, string, string, number] | [2, string, Params];

/** native/pq/pq.c */
export interface Addon {
  connect(conninfo: string): Handle;
  finish(session: Handle): void;
  exec(session: Handle, sql: string): PqResult;
  run(session: Handle, steps: StepSpec[]): Array<PqResult | undefined>;
  transactionStatus(session: Handle): number;
  pipelineOn(session: Handle): boolean;
}

const ADDON = 'native/pq/build/Release/ocidex_pq.node';

let addon: Addon | undefined;

/** The addon (built by `npm install`), found above this file: in src/ or in dist/src/. */
export function pq(): Addon {
  if (addon !== undefined) return addon;
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, ADDON))) {
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error(
        `${ADDON} is missing: install libpq-dev, python3, make and g++, then run npm install (it builds it)`,
      );
    }
    directory = parent;
  }
  addon = createRequire(import.meta.url)(join(directory, ADDON)) as Addon;
  return addon;
}

/**
 * The connection string with the session's name, UTF-8 text (as JavaScript strings are read),
 * a connect timeout and TCP keepalives (a call blocks until its reply: a peer gone silent is
 * given up after about a minute), unless given.
 */
export function conninfo(url: string, applicationName: string): string {
  const parsed = new URL(url);
  const defaults: Record<string, string> = {
    application_name: applicationName,
    client_encoding: 'UTF8',
    connect_timeout: '10',
    keepalives_idle: '30',
    keepalives_interval: '10',
    keepalives_count: '3',
    tcp_user_timeout: '60000',
  };
  for (const [key, value] of Object.entries(defaults))
    if (!parsed.searchParams.has(key)) parsed.searchParams.set(key, value);
  return parsed.toString();
}
