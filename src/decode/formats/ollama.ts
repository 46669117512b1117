/**
 * Ollama: a Docker v2 manifest whose layers are `application/vnd.ollama.image.*` and whose
 * `application/vnd.docker.container.image.v1+json` config carries
 * `{model_format, model_family, model_families, model_type, file_type, capabilities,
 * context_length, architecture, os, ...}` (newer configs have no `rootfs`). Safetensors imports
 * write `tensor` and `json` layers whose descriptors carry a `name` (decode-artifact's title).
 * The config's `architecture` is the CPU architecture (amd64), not the model's: not used.
 */
import type { JsonValue } from '../../domain/document.js';
import type { ImageManifest } from '../../domain/oci.js';
import { member, objectOrEmpty, textList } from '../json.js';
import { ModelMediaType } from '../media-types.js';
import { finishModel, pick } from '../model-info.js';
import { layerMediaTypes, type DecodedParts, type DecoderContext, type FormatDecoder } from './format-decoder.js';

function matches(manifest: ImageManifest): boolean {
  return layerMediaTypes(manifest).some((mediaType) => mediaType.startsWith(ModelMediaType.ollamaLayerPrefix));
}

function decode(_manifest: ImageManifest, config: JsonValue, context: DecoderContext): DecodedParts {
  const root = objectOrEmpty(config);
  const model = finishModel(
    {
      format: pick(member(root, 'model_format')),
      family: pick(member(root, 'model_family'), textList(member(root, 'model_families'))[0]),
      paramSize: pick(member(root, 'model_type')),
      quantization: pick(member(root, 'file_type')),
    },
    context.annotations,
  );
  return { kind: 'model', format: 'ollama', model };
}

/** Ollama models (`ollama push`). */
export const ollamaDecoder: FormatDecoder = { format: 'ollama', matches, decode };
