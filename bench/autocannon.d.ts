/** The part of autocannon's programmatic API that bench/load-child.ts uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Options {
    url: string;
    connections: number;
    /** Seconds. */
    duration: number;
    /** Seconds before a request counts as timed out (default 10). */
    timeout?: number;
  }

  /** Emits `start`, `response` (client, statusCode, bytes, responseTime ms), `reqError` (error), `done`. */
  type Instance = EventEmitter;

  function autocannon(options: Options, callback: (error: Error | null, result: unknown) => void): Instance;
  export default autocannon;
}
