/**
 * What real registries have and loopback has not: latency. A TCP proxy on loopback that delays
 * every chunk by `delayMs` in each direction (order kept: equal timers fire in order), plain or
 * TLS-terminating (the registry behind it speaks plain HTTP), counting the connections it
 * accepted and the TLS handshakes it completed. For the crawl benchmark only.
 */
import { createServer as createTcpServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface LatencyProxy {
  port: number;
  /** Connections accepted since the last `resetCounts`. */
  connections: number;
  /** TLS handshakes completed since the last `resetCounts` (0 when plain). */
  handshakes: number;
  resetCounts(): void;
  close(): Promise<void>;
}

export interface LatencyProxyOptions {
  target: { host: string; port: number };
  /** Delay added in each direction, ms. */
  delayMs: number;
  /** Terminate TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

/** Writes what `from` sends to `to`, `delayMs` later. */
function delayedPipe(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => {
    if (delayMs <= 0) to.write(chunk);
    else setTimeout(() => !to.destroyed && to.write(chunk), delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), delayMs));
}

/** Starts the proxy on an ephemeral loopback port. */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const counts = { connections: 0, handshakes: 0 };
  const sockets = new Set<Socket>();
  const relay = (client: Socket): void => {
    counts.connections += 1;
    const upstream = connect(options.target.port, options.target.host);
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    delayedPipe(client, upstream, options.delayMs);
    delayedPipe(upstream, client, options.delayMs);
  };
  const server: Server = options.tls
    ? createTlsServer({ ...options.tls }, relay).on('secureConnection', () => {
        counts.handshakes += 1;
      })
    : createTcpServer(relay);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return counts.connections;
    },
    get handshakes() {
      return counts.handshakes;
    },
    resetCounts: () => Object.assign(counts, { connections: 0, handshakes: 0 }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
