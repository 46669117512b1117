/**
 * Who works on a running crawl, and whether they still do. A run records its owner (a random id
 * per process, the pid and the host) and the owner's heartbeat. Another process marks the run
 * aborted only when that owner is gone: on the same host, when its pid no longer exists (or is
 * the reader's own pid under another id: the pid was reused after a restart); on another host,
 * when its heartbeat is older than the lease. So a `serve` starting beside a live `ocidex crawl`
 * leaves that crawl alone.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** The process working on a run. */
export interface RunOwner {
  id: string;
  pid: number;
  host: string;
}

/** This process. */
export const PROCESS_OWNER: RunOwner = Object.freeze({ id: randomUUID(), pid: process.pid, host: hostname() });

/** How often an owner renews its heartbeat. */
export const RUN_HEARTBEAT_MS = 30_000;

/** A heartbeat older than this means the owner (on another host) is gone. */
export const RUN_LEASE_MS = 4 * RUN_HEARTBEAT_MS;

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `owner` (of a running run, heartbeat at `heartbeatAt`) still works on it; see the module comment. */
export function ownerAlive(
  owner: RunOwner | null,
  heartbeatAt: string | null,
  self: RunOwner = PROCESS_OWNER,
  now: number = Date.now(),
): boolean {
  if (owner === null) return false;
  if (owner.id === self.id) return true;
  if (owner.host === self.host) return owner.pid !== self.pid && pidExists(owner.pid);
  const beat = heartbeatAt === null ? Number.NaN : Date.parse(heartbeatAt);
  return Number.isFinite(beat) && now - beat < RUN_LEASE_MS;
}

/** The owner stored with a run (JSON), or null when none or unreadable. */
export function parseOwner(json: string | null): RunOwner | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as Partial<RunOwner>;
    const valid = typeof value.id === 'string' && typeof value.pid === 'number' && typeof value.host === 'string';
    return valid ? { id: value.id as string, pid: value.pid as number, host: value.host as string } : null;
  } catch {
    return null;
  }
}
