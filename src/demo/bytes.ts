/** Byte helpers shared by the pusher and the sample builders. */
import { createHash } from 'node:crypto';

/** `sha256:<hex>` of `bytes`, the OCI digest. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** UTF-8 bytes of `text`. */
export function textBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** Compact JSON bytes of `value` (key order as given: digests are stable). */
export function jsonBytes(value: unknown): Uint8Array {
  return textBytes(JSON.stringify(value));
}

/**
 * `size` deterministic pseudo-random bytes derived from `seed`: the same seed always gives the
 * same blob (and digest), different seeds give different blobs.
 */
export function fillerBytes(seed: string, size = 256): Uint8Array {
  const out = new Uint8Array(size);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    out.set(block.subarray(0, Math.min(block.length, size - offset)), offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/**
 * A small seeded PRNG (mulberry32) returning floats in [0, 1): reproducible "random" values
 * for generated data.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
