/**
 * KitOps ModelKits (jozu-ai/kitops, `kit pack` / `kit push`): the config blob is the Kitfile as
 * JSON, `{manifestVersion, package{name,version,description,license,authors[]}, model{name,path,
 * license,framework,format,version,description,parts[],parameters}, code[], datasets[], docs[]}`.
 * Three generations: `application/vnd.kitops.modelkit.*` (current), `application/vnd.kitops.model.*`
 * (early 2024, a `models[]` list, `model.validation.metrics`) and `application/vnd.jozu.model.*`.
 * Datasets, code and docs stay in the document's `config` (paths, licenses): not copied.
 */
import type { JsonObject, JsonValue } from '../../domain/document.js';
import type { ImageManifest } from '../../domain/oci.js';
import { isJsonObject, member, objectOrEmpty, text, textList } from '../json.js';
import { ModelMediaType } from '../media-types.js';
import { finishModel, numericMembers, pick } from '../model-info.js';
import {
  configMediaType,
  layerMediaTypes,
  type DecodedParts,
  type DecoderContext,
  type FormatDecoder,
} from './format-decoder.js';

const isKitops = (mediaType: string): boolean =>
  mediaType.startsWith(ModelMediaType.kitopsPrefix) || mediaType.startsWith(ModelMediaType.jozuPrefix);

/**
 * A `model.path` naming another ModelKit (a parent kit) rather than a file: a registry host
 * (with a dot or a port, or `localhost`), a repository, and a tag or digest. Anything else is a
 * path inside the kit: no lineage is guessed from it.
 */
const MODELKIT_REFERENCE =
  /^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:\/[a-z0-9._-]+)+(?::\w[\w.-]{0,127}|@sha256:[a-f0-9]{64})$/i;

function matches(manifest: ImageManifest): boolean {
  return isKitops(configMediaType(manifest)) || layerMediaTypes(manifest).some(isKitops);
}

/** The Kitfile's model: `model`, else the first of the early `models[]` list. */
function kitfileModel(kitfile: JsonObject): JsonObject {
  const model = member(kitfile, 'model');
  if (isJsonObject(model)) return model;
  const models = member(kitfile, 'models');
  return Array.isArray(models) ? objectOrEmpty(models[0]) : {};
}

/** Early Kitfiles' `model.validation.metrics` (an object, or a list of validations): numbers only. */
function validationMetrics(model: JsonObject): Record<string, number> {
  const validation = member(model, 'validation');
  const validations = Array.isArray(validation) ? validation : [validation];
  return validations.reduce<Record<string, number>>(
    (metrics, entry) => Object.assign(metrics, numericMembers(member(objectOrEmpty(entry), 'metrics'))),
    {},
  );
}

/** `model.path` when it is a ModelKit reference (lineage), else null. */
function parentKit(model: JsonObject): string | null {
  const path = text(member(model, 'path'));
  return path !== null && MODELKIT_REFERENCE.test(path) ? path : null;
}

function decode(manifest: ImageManifest, config: JsonValue, context: DecoderContext): DecodedParts {
  const kitfile = isKitops(configMediaType(manifest)) ? objectOrEmpty(config) : {};
  const pkg = objectOrEmpty(member(kitfile, 'package'));
  const model = kitfileModel(kitfile);
  const licenses = textList(member(model, 'license'));
  const parts = finishModel(
    {
      name: pick(member(model, 'name'), member(pkg, 'name')),
      version: pick(member(model, 'version'), member(pkg, 'version')),
      licenses: licenses.length > 0 ? licenses : textList(member(pkg, 'license')),
      authors: textList(member(pkg, 'authors')),
      description: pick(member(model, 'description'), member(pkg, 'description')),
      format: pick(member(model, 'format')),
      framework: pick(member(model, 'framework')),
      base: parentKit(model),
      metrics: validationMetrics(model),
    },
    context.annotations,
  );
  return { kind: 'model', format: 'kitops', model: parts };
}

/** KitOps ModelKits, all three generations of media types. */
export const kitopsDecoder: FormatDecoder = { format: 'kitops', matches, decode };
