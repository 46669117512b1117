/**
 * ModelInfo assembly shared by the model decoders: a decoder reads what its format knows,
 * then the standard `org.opencontainers.image.*` annotations fill what it lacks.
 */
import type { JsonObject, ModelInfo } from '../domain/document.js';
import { isJsonObject, member, text, textList } from './json.js';
import { splitLicenses } from './licenses.js';
import { Annotation } from './media-types.js';

/** What a format decoder found; absent or null means unknown. `licenses` are expressions. */
export type ModelFields = Partial<Omit<ModelInfo, 'license' | 'licenseRaw'>>;

/** Numeric (finite) members of an object, e.g. omlmd `customProperties`: accuracy, f1, ... */
export function numericMembers(value: unknown): Record<string, number> {
  if (!isJsonObject(value)) return {};
  const entries = Object.entries(value).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
  );
  return Object.fromEntries(entries);
}

/** The first text value among `values` (see json.text), else null. */
export function pick(...values: unknown[]): string | null {
  for (const value of values) {
    const found = text(value);
    if (found !== null) return found;
  }
  return null;
}

/** The first non-empty list among `lists`. */
function firstList(...lists: string[][]): string[] {
  return lists.find((list) => list.length > 0) ?? [];
}

/**
 * The ModelInfo of `fields`, with standard annotations as fallbacks (title -> name, source ->
 * uri, ...) and licenses split into ids; `licenseRaw` is the stated license text as is (several
 * statements joined by ", "). Never invents a value: unknown stays null / [] / {}.
 */
export function finishModel(fields: ModelFields, annotations: JsonObject): ModelInfo {
  const standard = (key: string): string | null => text(member(annotations, key));
  const stated = firstList(fields.licenses ?? [], textList(member(annotations, Annotation.licenses)));
  const licenses = splitLicenses(stated);
  return {
    name: pick(fields.name, standard(Annotation.title)),
    version: pick(fields.version, standard(Annotation.version)),
    license: licenses[0] ?? null,
    licenses,
    licenseRaw: stated.length > 0 ? stated.join(', ') : null,
    format: pick(fields.format),
    framework: pick(fields.framework),
    base: pick(fields.base),
    architecture: pick(fields.architecture),
    family: pick(fields.family),
    paramSize: pick(fields.paramSize),
    precision: pick(fields.precision),
    quantization: pick(fields.quantization),
    authors: firstList(fields.authors ?? [], textList(member(annotations, Annotation.authors))),
    description: pick(fields.description, standard(Annotation.description)),
    uri: pick(fields.uri, standard(Annotation.source)),
    created: pick(fields.created, standard(Annotation.created)),
    metrics: fields.metrics ?? {},
  };
}
