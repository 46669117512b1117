/**
 * The connector of the client's undici Agent with the egress policy applied where it matters:
 * to the address actually connected to. An IP literal is checked before connecting; a name is
 * resolved by `dns.lookup` and refused when any address it resolves to is refused (so a name
 * cannot pass by answering a harmless address first). Every request goes through it, token
 * realms and redirects included, whatever URL they came from.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import type { EgressGuard } from './egress.js';

/** A `net.connect` lookup that refuses what `guard` refuses. */
export function guardedLookup(guard: EgressGuard): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      try {
        for (const { address } of addresses) guard.check(hostname, address);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if ((options as { all?: boolean }).all) {
        return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      }
      const first = addresses[0];
      if (first === undefined) return callback(new Error(`no address for ${hostname}`), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

/** An undici connector (for `new Agent({ connect })`) that applies `guard` to every connection. */
export function guardedConnector(guard: EgressGuard, timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs, lookup: guardedLookup(guard) } as buildConnector.BuildOptions);
  return (options, callback) => {
    const hostname = options.hostname.replace(/^\[|\]$/g, '');
    if (isIP(hostname) !== 0) {
      // net.connect does not call `lookup` for an IP literal: check it here.
      try {
        guard.check(hostname, hostname);
      } catch (refused) {
        callback(refused as Error, null);
        return;
      }
    }
    connect(options, callback);
  };
}
