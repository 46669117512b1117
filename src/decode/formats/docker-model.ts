/**
 * Docker Model Runner (docker/model-runner `pkg/distribution/types`): config
 * `application/vnd.docker.ai.model.config.v0.1+json` / `v0.2+json` holding
 * `{"config":{format,quantization,parameters,architecture,size,gguf,context_size},"descriptor":{created}}`.
 */
import type { JsonValue } from '../../domain/document.js';
import type { ImageManifest } from '../../domain/oci.js';
import { member, objectOrEmpty, textList } from '../json.js';
import { ModelMediaType } from '../media-types.js';
import { finishModel, pick } from '../model-info.js';
import { configMediaType, type DecodedParts, type DecoderContext, type FormatDecoder } from './format-decoder.js';

function matches(manifest: ImageManifest): boolean {
  return configMediaType(manifest).startsWith(ModelMediaType.dockerModelConfigPrefix);
}

function decode(_manifest: ImageManifest, config: JsonValue, context: DecoderContext): DecodedParts {
  const root = objectOrEmpty(config);
  const settings = objectOrEmpty(member(root, 'config'));
  const descriptor = objectOrEmpty(member(root, 'descriptor'));
  // GGUF metadata copied into the config by the packager (keys as in the GGUF file).
  const gguf = objectOrEmpty(member(settings, 'gguf'));
  const model = finishModel(
    {
      name: pick(member(gguf, 'general.name')),
      licenses: textList(member(gguf, 'general.license')),
      format: pick(member(settings, 'format')),
      quantization: pick(member(settings, 'quantization')),
      // `parameters` is the parameter count ("8.03 B"); `size` is the file size, not used.
      paramSize: pick(member(settings, 'parameters')),
      architecture: pick(member(settings, 'architecture')),
      created: pick(member(descriptor, 'created')),
    },
    context.annotations,
  );
  return { kind: 'model', format: 'docker-model', model };
}

/** Docker Model Runner models (`docker model push`). */
export const dockerModelDecoder: FormatDecoder = { format: 'docker-model', matches, decode };
