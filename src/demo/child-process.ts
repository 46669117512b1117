/**
 * Helpers to run a local server binary (docker-registry, redis-server, postgres) for the demo and the
 * tests: find it, pick a free loopback port, keep a bounded tail of its output, wait until it
 * answers, and stop it (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** Bytes of a child's output kept for error messages. */
const OUTPUT_TAIL_BYTES = 16 * 1024;
/** How long `stopProcess` waits after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5_000;

/** Children still running; killed if this process exits without stopping them. */
const runningChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  runningChildren.add(child);
  child.once('exit', () => runningChildren.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL, no cleanup of temp dirs.
  process.once('exit', () => {
    for (const running of runningChildren) running.kill('SIGKILL');
  });
}

/** A spawned server with the tail of its stdout/stderr and a promise of its exit. */
export interface CapturedProcess {
  child: ChildProcess;
  /** The last bytes the process wrote to stdout and stderr. */
  output(): string;
  /** Settles when the process has exited (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has exited. */
  hasExited(): boolean;
}

/** True when `path` exists and is executable. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, else the first executable fallback path, else null. */
export function findExecutable(name: string, fallbacks: string[] = []): string | null {
  const directories = (process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '');
  for (const candidate of [...directories.map((directory) => join(directory, name)), ...fallbacks]) {
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * A loopback port that was free a moment ago: bind port 0, read the port, close.
 * Another process may take it before the caller binds it; callers retry on a bind failure.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Where and as whom a child runs: PostgreSQL refuses root, so its launcher passes another user. */
export interface SpawnPlacement {
  cwd?: string;
  uid?: number;
  gid?: number;
}

/** Spawns `binary args` with stdin closed, keeping a bounded tail of stdout and stderr. */
export function spawnCaptured(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  placement: SpawnPlacement = {},
): CapturedProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env, ...placement });
  killOnExit(child);
  let tail = '';
  let exited = false;
  const append = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      append(Buffer.from(`${error.message}\n`));
      exited = true;
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
  });
  return { child, output: () => tail.trim(), exited: exitPromise, hasExited: () => exited };
}

/**
 * Polls `check` until it returns true. Fails early when the process exits, and after
 * `timeoutMs`, with the process's output in the message.
 */
export async function waitUntilReady(
  server: CapturedProcess,
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.hasExited()) throw new Error(`${what} exited before it was ready: ${server.output() || '(no output)'}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} was not ready after ${timeoutMs} ms: ${server.output() || '(no output)'}`);
}

/**
 * Sends `signal` (SIGTERM unless told: postgres wants SIGINT, its fast shutdown), then SIGKILL
 * after `graceMs`; resolves once the process has exited.
 */
export async function stopProcess(
  server: CapturedProcess,
  graceMs = STOP_GRACE_MS,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (server.hasExited()) return;
  server.child.kill(signal);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  try {
    await server.exited;
  } finally {
    clearTimeout(timer);
  }
}
