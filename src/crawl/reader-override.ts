/**
 * A RegistryReader that is another with some reads replaced (a push event's listed referrers,
 * manifests a crawl already holds), sharing its remembered referrers-API support.
 */
import type { RegistryReader } from './context.js';

type Reads = Omit<RegistryReader, 'registry' | 'referrersApi'>;

/** Each override reader's underlying reader. */
const bases = new WeakMap<RegistryReader, RegistryReader>();

/** The reader `reader` overrides, else itself: what remembers per-client state (a probe). */
export function baseReader(reader: RegistryReader): RegistryReader {
  return bases.get(reader) ?? reader;
}

/** `client` with the reads in `overrides` replaced; `referrersApi` reads and writes through. */
export function overrideReader(client: RegistryReader, overrides: Partial<Reads>): RegistryReader {
  const reader: RegistryReader = {
    registry: client.registry,
    get referrersApi() {
      return client.referrersApi;
    },
    set referrersApi(value) {
      client.referrersApi = value;
    },
    listTags: (name, options) => client.listTags(name, options),
    resolveManifest: (name, reference, signal) => client.resolveManifest(name, reference, signal),
    fetchManifest: (name, reference, signal) => client.fetchManifest(name, reference, signal),
    fetchBlob: (name, descriptor, options) => client.fetchBlob(name, descriptor, options),
    listReferrers: (name, digest, options) => client.listReferrers(name, digest, options),
    ...overrides,
  };
  bases.set(reader, baseReader(client));
  return reader;
}
