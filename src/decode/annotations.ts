/**
 * The `+json` annotation convention (omlmd, adopted by ModelPack): a key ending in `+json`
 * holds a JSON document as a string; it is exposed decoded under the key without the suffix.
 * See ../../../shared/FORMATS.md, "Manifests".
 */
import type { JsonObject, JsonValue } from '../domain/document.js';
import { isJsonObject, parseJson } from './json.js';
import { decodeProblem, type DecodeProblem } from './problems.js';

const JSON_SUFFIX = '+json';

/**
 * Decodes `+json` annotations: returns the annotations with each `<key>+json` replaced by
 * `<key>` -> parsed JSON. An invalid JSON value stays a string under the ORIGINAL key and
 * yields an `invalid_json_annotation` problem. When `<key>` also exists as a plain annotation,
 * the plain one keeps `<key>` and the decoded value stays under `<key>+json` (nothing is lost).
 * Hostile input (annotations that are not an object, values that are not strings) is kept as
 * is and reported as `invalid_manifest`; this function never throws.
 *
 * @param where names the annotations' owner in problem messages, e.g. `layers[2]`.
 */
export function decodeAnnotations(
  annotations: Record<string, string> | undefined,
  where = 'manifest',
): { annotations: JsonObject; problems: DecodeProblem[] } {
  const raw: unknown = annotations;
  if (raw === undefined || raw === null) return { annotations: {}, problems: [] };
  if (!isJsonObject(raw)) {
    const problem = decodeProblem('invalid_manifest', `${where} annotations are not a JSON object; ignored`);
    return { annotations: {}, problems: [problem] };
  }
  const problems: DecodeProblem[] = [];
  const entries = Object.entries(raw).map(([key, value]): [string, JsonValue] => {
    if (typeof value !== 'string') {
      problems.push(decodeProblem('invalid_manifest', `${where} annotation "${key}" is not a string`));
      return [key, value];
    }
    const base = key.slice(0, -JSON_SUFFIX.length);
    if (!key.endsWith(JSON_SUFFIX) || base === '') return [key, value];
    const parsed = parseJson(value);
    if (!parsed.ok) {
      const message = `${where} annotation "${key}" is ${parsed.reason}; kept as a string`;
      problems.push(decodeProblem('invalid_json_annotation', message));
      return [key, value];
    }
    return [Object.hasOwn(raw, base) ? key : base, parsed.value];
  });
  // Object.fromEntries defines own properties, so a key like `__proto__` cannot touch prototypes.
  return { annotations: Object.fromEntries(entries) as JsonObject, problems };
}
