/**
 * HTTP load from a separate process: load-child.js (autocannon) in a child process, so the load
 * generator never shares an event loop with the server it measures. Loopback only, and bounded:
 * the child stops after warm-up + duration, and is killed if it has not exited 30 s later.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Extra time the child gets past its warm-up and duration before it is killed. */
const EXIT_GRACE_MS = 30_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds of load on the same connections before counting starts. */
  warmupSeconds: number;
  durationSeconds: number;
}

/** The figures of the measured window (latencies in ms, of 2xx responses). */
export interface LoadResult {
  requests: number;
  durationSeconds: number;
  throughput: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Runs the load generator against `options.url` and resolves with its figures. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const host = new URL(options.url).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`refusing to load ${host}: loopback only`);
  const child = fileURLToPath(new URL('./load-child.js', import.meta.url));
  const args = [
    child,
    options.url,
    String(options.connections),
    String(options.warmupSeconds),
    String(options.durationSeconds),
  ];
  const output = await runChild(args, (options.warmupSeconds + options.durationSeconds) * 1_000 + EXIT_GRACE_MS);
  return JSON.parse(output) as LoadResult;
}

/** Runs `node args...`, resolving with its stdout; rejects on a non-zero exit or past `limitMs`. */
function runChild(args: string[], limitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else
        reject(
          new Error(
            `load generator exited with ${code ?? signal}: ${Buffer.concat(stderr).toString('utf8').slice(0, 500)}`,
          ),
        );
    });
  });
}
