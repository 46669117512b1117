/**
 * Serving the app over HTTP with @hono/node-server. `close()` stops accepting connections,
 * closes idle keep-alive connections at once, lets requests in flight finish, and after a grace
 * period closes whatever is left, so shutdown never hangs on a slow client.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

/** How long `close()` waits for requests in flight before closing their connections. */
export const DEFAULT_CLOSE_GRACE_MS = 10_000;

/** What the server needs of an app: its `fetch` (a Hono app, `createApp`'s result). */
export type FetchApp = Pick<Parameters<typeof serve>[0], 'fetch'>;

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  closeGraceMs?: number;
}

export interface RunningServer {
  /** `http://host:port` as bound (the real port when 0 was asked). */
  url: string;
  /** Graceful close; resolves when the server is closed. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts serving `app`; resolves once listening. */
export function startServer(app: FetchApp, options: ServerOptions): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      let closing: Promise<void> | null = null;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () => (closing ??= closeGracefully(server, options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS)),
      });
    });
  });
}

function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close((error) => {
      clearTimeout(timer);
      if (error === undefined) resolve();
      else reject(error);
    });
    server.closeIdleConnections();
  });
}
