/**
 * A throwaway redis-server on a random loopback port for queue tests and benchmarks: no
 * persistence, its own temp dir. A missing binary throws: queue tests must fail in CI, never skip.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, freeLoopbackPort, spawnCaptured, stopProcess, waitUntilReady } from './child-process.js';

/** Attempts with a fresh port when the one picked was taken in between. */
const PORT_ATTEMPTS = 5;

export interface RunningRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** The server's process id. */
  pid: number | undefined;
  /** The server's working dir (a temp dir, removed on stop). */
  dir: string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its temp dir. */
  stop(): Promise<void>;
}

/** The redis-server binary, or null. */
export function findRedisBinary(): string | null {
  return findExecutable('redis-server', ['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedis(): Promise<RunningRedis> {
  const binary = findRedisBinary();
  if (binary === null)
    throw new Error('redis-server not found on PATH; install it with `apt-get install redis-server`');
  const dir = await mkdtemp(join(tmpdir(), 'ocidex-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    const server = spawnCaptured(binary, args);
    try {
      await waitUntilReady(server, () => ping(port), `redis-server on port ${port}`);
    } catch (error) {
      await stopProcess(server);
      if (attempt < PORT_ATTEMPTS && /address already in use/i.test(server.output())) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid: server.child.pid,
      dir,
      stop: async () => {
        await stopProcess(server);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}

/** Sends an inline `PING` and resolves true on `+PONG`. */
export function ping(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
