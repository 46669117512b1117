/**
 * omlmd (containers/omlmd). Three generations share the metadata fields
 * `name, description, author, customProperties, uri, model_format_name, model_format_version`:
 * - config `application/x-config` holding the metadata; model layer `application/x-mlmodel`
 *   (oldest: `application/x-artifact`); metadata layers titled `model_metadata.omlmd.json`
 *   and `.yaml` (oldest: `model_metadata.oml.json`);
 * - artifact mode: config and model layer `application/x-mlmodel`, `application/x-mlmetadata+json`;
 * - image mode: an OCI image config and tar layers (`model_metadata.omlmd.tar`).
 * Later versions also copy the metadata into the manifest annotations (`customProperties+json`).
 */
import type { JsonObject, JsonValue } from '../../domain/document.js';
import type { ImageManifest } from '../../domain/oci.js';
import { isJsonObject, member, text, textList } from '../json.js';
import { ModelMediaType, Annotation } from '../media-types.js';
import { finishModel, numericMembers } from '../model-info.js';
import {
  configMediaType,
  layerMediaTypes,
  type DecodedParts,
  type DecoderContext,
  type FormatDecoder,
} from './format-decoder.js';

const METADATA_TITLE = /^model_metadata\.oml(?:md)?\.(?:json|ya?ml|tar)$/;
const OMLMD_CONFIGS = new Set<string>([ModelMediaType.omlmdConfig, ModelMediaType.omlmdModel]);
const OMLMD_LAYERS = new Set<string>([ModelMediaType.omlmdModel, ModelMediaType.omlmdMetadata]);

function matches(manifest: ImageManifest): boolean {
  if (OMLMD_CONFIGS.has(configMediaType(manifest))) return true;
  if (layerMediaTypes(manifest).some((mediaType) => OMLMD_LAYERS.has(mediaType))) return true;
  return manifest.layers.some((layer) => {
    const title = isJsonObject(layer.annotations) ? text(layer.annotations[Annotation.title]) : null;
    return title !== null && METADATA_TITLE.test(title);
  });
}

function decode(manifest: ImageManifest, config: JsonValue, context: DecoderContext): DecodedParts {
  // Only the `application/x-config` blob is the metadata; other configs describe an image.
  const metadata: JsonObject =
    configMediaType(manifest) === ModelMediaType.omlmdConfig && isJsonObject(config) ? config : {};
  const field = (key: string): JsonValue | undefined => member(metadata, key) ?? member(context.annotations, key);
  const fromConfig = member(metadata, 'customProperties');
  const customProperties = isJsonObject(fromConfig) ? fromConfig : member(context.annotations, 'customProperties');
  const custom = isJsonObject(customProperties) ? customProperties : {};
  const model = finishModel(
    {
      name: text(field('name')),
      description: text(field('description')),
      authors: textList(field('author')),
      uri: text(field('uri')),
      format: text(field('model_format_name')),
      licenses: textList(member(custom, 'license')),
      metrics: numericMembers(custom),
    },
    context.annotations,
  );
  return { kind: 'model', format: 'omlmd', model };
}

/** omlmd: metadata from the `application/x-config` blob, else the decoded annotations. */
export const omlmdDecoder: FormatDecoder = { format: 'omlmd', matches, decode };
