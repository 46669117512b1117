/**
 * A GET from a chosen loopback address: tests and benchmarks act as several clients of the API
 * (whose per-client limits count by remote address) from one process, with 127.0.0.2, 127.0.0.3...
 */
import { request } from 'node:http';

/** A response read whole. */
export interface GetResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GETs `url` (http only) from `localAddress` (default: the system's choice), on a fresh connection. */
export function httpGet(url: string, localAddress?: string): Promise<GetResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const path = `${target.pathname}${target.search}`;
    const options = { host: target.hostname, port: target.port, path, localAddress, agent: false };
    const outgoing = request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
