/**
 * Chooses the decoder of a manifest (Artifact Hub `source/<kind>` style). Order matters:
 * model formats first, each claimed by its artifactType / config media type or by its own
 * layer media types (not by `org.cncf.model.filepath`, which Docker Model Runner v0.2 layers
 * carry too); then plain images, which must not swallow models shipped with an image config
 * (omlmd image mode, the cnai first draft, Ollama's Docker config); then the generic artifact.
 */
import type { ImageManifest } from '../domain/oci.js';
import { dockerModelDecoder } from './formats/docker-model.js';
import type { DecoderContext, FormatDecoder } from './formats/format-decoder.js';
import { artifactDecoder, dockerImageDecoder, ociImageDecoder } from './formats/image.js';
import { kitopsDecoder } from './formats/kitops.js';
import { cnaiDecoder, modelpackDecoder } from './formats/modelpack.js';
import { ollamaDecoder } from './formats/ollama.js';
import { omlmdDecoder } from './formats/omlmd.js';

const FORMAT_DECODERS: readonly FormatDecoder[] = [
  dockerModelDecoder,
  kitopsDecoder,
  modelpackDecoder,
  cnaiDecoder,
  omlmdDecoder,
  ollamaDecoder,
  ociImageDecoder,
  dockerImageDecoder,
  artifactDecoder,
];

/** The first decoder that claims the manifest; the generic artifact decoder claims all. */
export function selectDecoder(manifest: ImageManifest, context: DecoderContext): FormatDecoder {
  return FORMAT_DECODERS.find((decoder) => decoder.matches(manifest, context)) ?? artifactDecoder;
}
