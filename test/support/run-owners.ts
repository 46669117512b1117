/** Crawl runs owned by other processes, live or dead, for the interrupted-run tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import type { IndexStore, RunOwner } from '../../src/store/index.js';

/** Records `owner` (and its heartbeat) as the owner of run `runId`. */
export function setRunOwner(
  index: IndexStore,
  runId: number,
  owner: RunOwner,
  heartbeatAt = new Date().toISOString(),
): void {
  index.db
    .prepare('UPDATE crawl_runs SET owner = ?, heartbeat_at = ? WHERE id = ?')
    .run(JSON.stringify(owner), heartbeatAt, runId);
}

/** An owner on this host whose process has exited. */
export function deadOwner(): RunOwner {
  const exited = spawnSync('true');
  return { id: `dead-${exited.pid}`, pid: exited.pid ?? 999_999, host: hostname() };
}

/** A live process on this host (a `sleep`), as an owner; `kill()` ends it. */
export function liveOwner(): { owner: RunOwner; kill(): Promise<void> } {
  const child: ChildProcess = spawn('sleep', ['300'], { stdio: 'ignore' });
  const owner = { id: `live-${child.pid}`, pid: child.pid ?? 0, host: hostname() };
  const kill = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return { owner, kill };
}
