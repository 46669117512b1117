/**
 * Faults of the fake registry: which requests a fault applies to (`FaultList`), and how an answer
 * is sent with one applied (headers changed or removed, chunked, truncated, stalled bodies).
 */
import type { ServerResponse } from 'node:http';
import type { Answer, Fault } from './types.js';

/** Fault list: `add` returns the fault with a live `hits` count. */
export class FaultList {
  private readonly faults: Array<Fault & { hits: number }> = [];

  add(fault: Fault): Fault & { hits: number } {
    const entry = { ...fault, hits: 0 };
    this.faults.push(entry);
    return entry;
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** The first fault that applies to this request, counted as hit. */
  take(server: 'registry' | 'storage', method: string, url: URL): (Fault & { hits: number }) | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.times === undefined || candidate.hits < candidate.times) &&
        (candidate.server === undefined || candidate.server === server) &&
        (candidate.method === undefined || candidate.method === method) &&
        (typeof candidate.path === 'string'
          ? candidate.path === url.pathname
          : candidate.path.test(url.pathname + url.search)),
    );
    if (fault) fault.hits += 1;
    return fault;
  }
}

/** Sends `answer`, changed by `fault` when one applies. */
export function sendAnswer(response: ServerResponse, answer: Answer, fault: Fault | undefined): void {
  const headers: Record<string, string> = { ...answer.headers, 'content-length': String(answer.body.length) };
  for (const [name, value] of Object.entries(fault?.setHeaders ?? {})) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  if (fault?.chunked) delete headers['content-length'];
  if (fault?.stall && headers['content-length'] !== undefined)
    headers['content-length'] = String(answer.body.length + 1);
  if (fault?.declaredLength !== undefined) headers['content-length'] = String(fault.declaredLength);
  response.writeHead(answer.status, headers);
  if (fault?.truncate) {
    response.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => response.socket?.destroy());
  } else if (fault?.stall) {
    response.write(answer.body);
  } else {
    response.end(answer.body);
  }
}
