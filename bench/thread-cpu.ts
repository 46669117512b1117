/**
 * A process's CPU split into its main thread and the rest (V8's optimizing compiler and GC
 * helpers, libuv's pool). The main thread's comes from /proc/thread-self/stat read on the main
 * thread (Linux; elsewhere only the total is known). The crawl benchmark prints both: most of
 * the rest is V8 compiling hot code once per process, which a longer crawl spreads thinner.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface CpuMark {
  process: NodeJS.CpuUsage;
  mainSeconds: number | null;
}

export interface CpuSplit {
  totalSeconds: number;
  /** The main thread's share; null where /proc/thread-self is absent. */
  mainSeconds: number | null;
}

/** CPU seconds (user + system) of the calling thread so far, or null off Linux. */
function threadSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Where to measure from (call on the main thread). */
export function cpuMark(): CpuMark {
  return { process: process.cpuUsage(), mainSeconds: threadSeconds() };
}

/** The process's CPU since `mark`, and the main thread's part of it. */
export function cpuSince(mark: CpuMark): CpuSplit {
  const used = process.cpuUsage(mark.process);
  const now = threadSeconds();
  const mainSeconds = now === null || mark.mainSeconds === null ? null : now - mark.mainSeconds;
  return { totalSeconds: (used.user + used.system) / 1e6, mainSeconds };
}
