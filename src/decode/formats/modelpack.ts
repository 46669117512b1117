/**
 * CNCF ModelPack (modelpack/model-spec) and its predecessor under `cnai` names: config
 * `{descriptor, modelfs, config}` (camelCase; the `cnai` era also snake_case), and the first
 * draft's manifest annotations `org.cnai.model.{name,version,licenses,...}`.
 */
import type { ArtifactFormat, JsonObject, JsonValue } from '../../domain/document.js';
import type { ImageManifest } from '../../domain/oci.js';
import { firstText, isJsonObject, member, objectOrEmpty, textList } from '../json.js';
import { Annotation, ModelMediaType } from '../media-types.js';
import { finishModel, pick } from '../model-info.js';
import {
  configMediaType,
  layerAnnotationKeys,
  layerMediaTypes,
  manifestArtifactType,
  type DecodedParts,
  type Decoder,
  type DecoderContext,
  type FormatDecoder,
} from './format-decoder.js';

function matchesModelpack(manifest: ImageManifest): boolean {
  return (
    manifestArtifactType(manifest) === ModelMediaType.modelpackManifest ||
    configMediaType(manifest) === ModelMediaType.modelpackConfig ||
    layerMediaTypes(manifest).some((mediaType) => mediaType.startsWith(ModelMediaType.modelpackPrefix))
  );
}

function matchesCnai(manifest: ImageManifest, context: DecoderContext): boolean {
  const isCnai = (value: string): boolean => value.startsWith(ModelMediaType.cnaiPrefix);
  const isDraftKey = (key: string): boolean => key.startsWith(Annotation.cnaiDraftPrefix);
  return (
    isCnai(manifestArtifactType(manifest)) ||
    isCnai(configMediaType(manifest)) ||
    layerMediaTypes(manifest).some(isCnai) ||
    Object.keys(context.annotations).some(isDraftKey) ||
    layerAnnotationKeys(manifest).some(isDraftKey)
  );
}

/** The model config object, only from a ModelPack / cnai config (never an image config). */
function modelConfig(manifest: ImageManifest, config: JsonValue): JsonObject {
  const type = configMediaType(manifest);
  const isModelConfig = type.startsWith(ModelMediaType.modelpackPrefix) || type.startsWith(ModelMediaType.cnaiPrefix);
  return isModelConfig && isJsonObject(config) ? config : {};
}

function decoder(format: ArtifactFormat): Decoder {
  return (manifest: ImageManifest, config: JsonValue, context: DecoderContext): DecodedParts => {
    const root = modelConfig(manifest, config);
    const descriptor = objectOrEmpty(member(root, 'descriptor'));
    const settings = objectOrEmpty(member(root, 'config'));
    const draft = (key: string): JsonValue | undefined =>
      member(context.annotations, `${Annotation.cnaiDraftPrefix}${key}`);
    const list = (key: string): string[] => {
      const fromConfig = textList(member(descriptor, key));
      return fromConfig.length > 0 ? fromConfig : textList(draft(key));
    };
    const model = finishModel(
      {
        name: pick(member(descriptor, 'name'), member(descriptor, 'title'), draft('name'), draft('title')),
        version: pick(member(descriptor, 'version'), draft('version')),
        licenses: list('licenses'),
        authors: list('authors'),
        family: pick(member(descriptor, 'family'), draft('family')),
        description: pick(member(descriptor, 'description'), draft('description')),
        uri: pick(firstText(descriptor, 'sourceURL', 'source_url'), draft('source')),
        created: pick(firstText(descriptor, 'createdAt', 'created_at'), draft('created')),
        format: pick(member(settings, 'format'), draft('format')),
        architecture: pick(member(settings, 'architecture'), draft('architecture')),
        paramSize: pick(firstText(settings, 'paramSize', 'param_size'), draft('param.size')),
        precision: pick(member(settings, 'precision'), draft('precision')),
        quantization: pick(member(settings, 'quantization'), draft('quantization')),
      },
      context.annotations,
    );
    return { kind: 'model', format, model };
  };
}

/** CNCF ModelPack (`application/vnd.cncf.model.*`). */
export const modelpackDecoder: FormatDecoder = {
  format: 'modelpack',
  matches: matchesModelpack,
  decode: decoder('modelpack'),
};

/** ModelPack before 2026-02 (`application/vnd.cnai.model.*`) and the first draft's annotations. */
export const cnaiDecoder: FormatDecoder = { format: 'cnai', matches: matchesCnai, decode: decoder('cnai') };
