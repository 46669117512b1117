/**
 * The config blob: which one is worth fetching, and its parsed value. An inline `data` field
 * (OCI image-spec "Descriptors": embedded content) is used instead of fetching.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '../domain/document.js';
import { isIndex, MediaType, type Descriptor, type ImageManifest, type Manifest } from '../domain/oci.js';
import { isJsonObject, parseJson, utf8Text } from './json.js';
import { baseMediaType, isJsonMediaType } from './media-types.js';
import { decodeProblem, type DecodeProblem } from './problems.js';

/** Configs larger than this are neither fetched nor parsed (model weights are layers, not configs). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

interface ConfigResult {
  config: JsonValue;
  problems: DecodeProblem[];
}

/**
 * The config descriptor worth fetching: a JSON media type (`+json`, `application/json`,
 * omlmd's `application/x-config`, Docker/OCI image configs) of 1..MAX_CONFIG_BYTES bytes.
 * Null for indexes, the empty config, non-JSON or too-large configs, and inline `data`.
 */
export function configToFetch(manifest: Manifest): Descriptor | null {
  if (isIndex(manifest)) return null;
  const config = manifest.config;
  if (baseMediaType(config.mediaType) === MediaType.ociEmpty || config.data !== undefined) return null;
  if (!isJsonMediaType(config.mediaType)) return null;
  return config.size > 0 && config.size <= MAX_CONFIG_BYTES ? config : null;
}

/** Inline `data` bytes when they match the descriptor's size and digest, else null. */
function inlineData(descriptor: Descriptor): Uint8Array | null {
  if (typeof descriptor.data !== 'string') return null;
  const bytes = Buffer.from(descriptor.data, 'base64');
  if (bytes.length !== descriptor.size) return null;
  const [algorithm, encoded] = descriptor.digest.split(':');
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return bytes;
  return createHash(algorithm).update(bytes).digest('hex') === encoded ? bytes : null;
}

function parseConfigBytes(bytes: Uint8Array): ConfigResult {
  if (bytes.length > MAX_CONFIG_BYTES) {
    return {
      config: null,
      problems: [decodeProblem('invalid_config', `config is larger than ${MAX_CONFIG_BYTES} bytes; not parsed`)],
    };
  }
  const text = utf8Text(bytes);
  const parsed = text === undefined ? { ok: false as const, reason: 'not UTF-8 text' } : parseJson(text);
  if (!parsed.ok) return { config: null, problems: [decodeProblem('invalid_config', `config is ${parsed.reason}`)] };
  const problems = isJsonObject(parsed.value)
    ? []
    : [decodeProblem('invalid_config', 'config is JSON but not an object')];
  return { config: parsed.value, problems };
}

/**
 * The parsed config of a manifest: from `fetched` bytes when given, else from inline `data`.
 * The empty config is `{}` by definition. Invalid JSON -> null + `invalid_config`.
 */
export function decodeConfig(manifest: ImageManifest, fetched: Uint8Array | null): ConfigResult {
  const descriptor = manifest.config;
  if (baseMediaType(descriptor.mediaType) === MediaType.ociEmpty) return { config: {}, problems: [] };
  if (fetched !== null) return parseConfigBytes(fetched);
  if (descriptor.data === undefined || !isJsonMediaType(descriptor.mediaType)) return { config: null, problems: [] };
  const bytes = inlineData(descriptor);
  if (bytes === null) {
    return {
      config: null,
      problems: [decodeProblem('invalid_config', 'inline config data does not match its digest or size')],
    };
  }
  return parseConfigBytes(bytes);
}
