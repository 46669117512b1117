/**
 * KitOps details the scenario fixtures cannot pin with a subset match: metrics are numbers
 * only, a parent kit is told apart from a path, and a broken Kitfile loses only its bad fields.
 */
import { describe, expect, it } from 'vitest';
import { kitopsDecoder } from '../../../src/decode/formats/kitops.js';
import { selectDecoder } from '../../../src/decode/select-decoder.js';
import type { JsonValue } from '../../../src/domain/document.js';
import type { ImageManifest } from '../../../src/domain/oci.js';

const digest = `sha256:${'a'.repeat(64)}`;

function kit(
  configMediaType = 'application/vnd.kitops.modelkit.config.v1+json',
  layerType = 'application/vnd.kitops.modelkit.model.v1.tar',
): ImageManifest {
  return {
    schemaVersion: 2,
    config: { mediaType: configMediaType, digest, size: 10 },
    layers: [{ mediaType: layerType, digest, size: 1 }],
  };
}

const decode = (config: JsonValue, manifest = kit(), annotations = {}) =>
  kitopsDecoder.decode(manifest, config, { annotations });

describe('kitops decoder', () => {
  it('claims all three generations of media types, by config or by layer', () => {
    const claimed = (manifest: ImageManifest) => selectDecoder(manifest, { annotations: {} }).format;
    expect(claimed(kit())).toBe('kitops');
    expect(
      claimed(kit('application/vnd.kitops.model.config.v1+json', 'application/vnd.kitops.model.content.v1.tar+gzip')),
    ).toBe('kitops');
    expect(
      claimed(kit('application/vnd.jozu.model.config.v1+json', 'application/vnd.jozu.model.content.v1.tar+gzip')),
    ).toBe('kitops');
    expect(
      claimed(kit('application/vnd.oci.empty.v1+json', 'application/vnd.kitops.modelkit.dataset.v1.tar+zstd')),
    ).toBe('kitops');
  });

  it('keeps only the numeric validation metrics of an early Kitfile, from an object or a list', () => {
    const single = decode({
      models: [{ name: 'm', validation: { metrics: { accuracy: 0.9, f1: '0.8', notes: 'x', loss: null } } }],
    });
    expect(single.model?.metrics).toEqual({ accuracy: 0.9 });
    const listed = decode({
      model: { validation: [{ metrics: { accuracy: 0.7 } }, { metrics: { recall: 0.6 } }, 'junk'] },
    });
    expect(listed.model?.metrics).toEqual({ accuracy: 0.7, recall: 0.6 });
  });

  it.each([
    ['jozu.ml/jozu/llama3-8b:8B-instruct-q4_0', true],
    [`localhost:5000/kits/base@sha256:${'b'.repeat(64)}`, true],
    ['registry.example.com:443/team/sub/model:v1', true],
    ['./model', false],
    ['models/llama3', false],
    ['model.gguf', false],
    ['jozu.ml/jozu/llama3-8b', false],
    ['/srv/models/llama:3', false],
    ['https://huggingface.co/meta-llama/Llama-3:main', false],
  ])('model.path %s is a parent kit: %s', (path, isParent) => {
    expect(decode({ model: { path } }).model?.base).toBe(isParent ? path : null);
  });

  it('prefers the model over the package, and falls back to the package where the model says nothing', () => {
    const model = decode({
      package: { name: 'pkg', version: '2', description: 'package text', license: 'MIT', authors: ['A'] },
      model: { name: 'model', license: 'apache-2.0', framework: 'pytorch', format: 'onnx' },
    }).model;
    expect(model).toMatchObject({
      name: 'model',
      version: '2',
      description: 'package text',
      license: 'Apache-2.0',
      licenseRaw: 'apache-2.0',
    });
    expect(model).toMatchObject({ authors: ['A'], framework: 'pytorch', format: 'onnx' });
  });

  it('loses only the broken fields of a hostile Kitfile, and reads no Kitfile from another config type', () => {
    const broken = decode({
      package: 'oops',
      model: { name: 42, framework: ['x'], path: { ref: 1 }, validation: 7 },
      models: 'no',
    });
    expect(broken).toMatchObject({
      kind: 'model',
      format: 'kitops',
      model: { name: '42', framework: null, base: null, metrics: {} },
    });
    const imageConfig = decode({ model: { name: 'not a kitfile' } }, kit('application/vnd.oci.image.config.v1+json'), {
      'org.opencontainers.image.title': 'from annotations',
    });
    expect(imageConfig.model?.name).toBe('from annotations');
    expect(decode(null).model).toMatchObject({ name: null, licenses: [], framework: null, base: null, metrics: {} });
  });
});
