/**
 * Docker Model Runner (docker/model-runner `pkg/distribution/types`): config
 * `application/vnd.docker.ai.model.config.v0.1+json` / `v0.2+json` holding
 * `{"config":{format,quantization,parameters,architecture,size,gguf,context_size},"descriptor":{created}}`
 * as the runner writes it; the docker/model-spec text says `descriptor.createdAt` and `files[]`
 * (kept in `config`). v0.2 stores one layer per file (`org.cncf.model.filepath` titles them).
 * No license field: the license is a layer; a GGUF `general.license` ("apache-2.0") is the only
 * license a decoder can read, normalized by splitLicenses and kept as stated in `licenseRaw`.
 */
import type { JsonValue } from '../../domain/document.js';
import type { ImageManifest } from '../../domain/oci.js';
import { firstText, member, objectOrEmpty, textList } from '../json.js';
import { ModelMediaType } from '../media-types.js';
import { finishModel, pick } from '../model-info.js';
import {
  configMediaType,
  layerMediaTypes,
  type DecodedParts,
  type DecoderContext,
  type FormatDecoder,
} from './format-decoder.js';

/** Weight layer types that state the file format (a config without `format` still has these). */
const WEIGHT_FORMATS = ['gguf', 'safetensors', 'dduf'];

function formatOfLayers(manifest: ImageManifest): string | null {
  const suffixes = layerMediaTypes(manifest)
    .filter((mediaType) => mediaType.startsWith(ModelMediaType.dockerModelLayerPrefix))
    .map((mediaType) => mediaType.slice(ModelMediaType.dockerModelLayerPrefix.length).split('.')[0]);
  return WEIGHT_FORMATS.find((format) => suffixes.includes(format)) ?? null;
}

function matches(manifest: ImageManifest): boolean {
  return configMediaType(manifest).startsWith(ModelMediaType.dockerModelConfigPrefix);
}

function decode(manifest: ImageManifest, config: JsonValue, context: DecoderContext): DecodedParts {
  const root = objectOrEmpty(config);
  const settings = objectOrEmpty(member(root, 'config'));
  const descriptor = objectOrEmpty(member(root, 'descriptor'));
  // GGUF metadata copied into the config by the packager (keys as in the GGUF file).
  const gguf = objectOrEmpty(member(settings, 'gguf'));
  const model = finishModel(
    {
      name: pick(member(gguf, 'general.name')),
      licenses: textList(member(gguf, 'general.license')),
      format: pick(member(settings, 'format'), formatOfLayers(manifest)),
      quantization: pick(member(settings, 'quantization')),
      // `parameters` is the parameter count ("8.03 B"); `size` is the file size, not used.
      paramSize: pick(member(settings, 'parameters')),
      architecture: pick(member(settings, 'architecture')),
      created: firstText(descriptor, 'created', 'createdAt'),
    },
    context.annotations,
  );
  return { kind: 'model', format: 'docker-model', model };
}

/** Docker Model Runner models (`docker model push`). */
export const dockerModelDecoder: FormatDecoder = { format: 'docker-model', matches, decode };
