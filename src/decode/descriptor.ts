/**
 * Descriptor validation (OCI image-spec, "Descriptors"): the fields ocidex relies on must be
 * well formed; everything else (annotations above all) is checked later, without failing.
 */
import { OcidexError } from '../domain/errors.js';
import type { Descriptor } from '../domain/oci.js';
import { isJsonObject } from './json.js';

/** `algorithm:encoded` (image-spec "Digests"); sha256 and sha512 are the registered ones. */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** True when `value` is a digest string in the OCI grammar. */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

function invalid(where: string, reason: string): OcidexError {
  return new OcidexError('invalid_manifest', `invalid manifest: ${where} ${reason}`);
}

function checkOptionalString(value: unknown, where: string): void {
  if (value !== undefined && typeof value !== 'string') throw invalid(where, 'must be a string');
}

function checkPlatform(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!isJsonObject(value)) throw invalid(where, 'must be an object');
  for (const field of ['os', 'architecture', 'variant']) {
    checkOptionalString(value[field], `${where}.${field}`);
  }
}

/**
 * Checks one descriptor: string `mediaType`, digest `alg:encoded`, non-negative integer
 * `size`, and the types of `artifactType`, `data` and `platform` when present.
 * @throws OcidexError `invalid_manifest` naming the field (`where`, e.g. `layers[1]`).
 */
export function checkDescriptor(value: unknown, where: string): asserts value is Descriptor {
  if (!isJsonObject(value)) throw invalid(where, 'must be an object');
  if (typeof value.mediaType !== 'string') throw invalid(`${where}.mediaType`, 'must be a string');
  if (!isDigest(value.digest)) throw invalid(`${where}.digest`, 'must be a digest "algorithm:hex"');
  const size = value.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalid(`${where}.size`, 'must be a non-negative integer');
  }
  checkOptionalString(value.artifactType, `${where}.artifactType`);
  checkOptionalString(value.data, `${where}.data`);
  checkPlatform(value.platform, `${where}.platform`);
}

/** Checks an array of descriptors (`layers`, `manifests`). */
export function checkDescriptors(value: unknown, where: string): asserts value is Descriptor[] {
  if (!Array.isArray(value)) throw invalid(where, 'must be an array');
  value.forEach((item, index) => {
    checkDescriptor(item, `${where}[${index}]`);
  });
}
