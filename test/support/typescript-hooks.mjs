/**
 * Node module hooks that run this repository's TypeScript sources in worker threads under test
 * (vitest transforms its own thread only): `./x.js` imports resolve to `./x.ts` when only that
 * exists, and `.ts` files are transpiled (types stripped) by the TypeScript compiler. Output is
 * cached in the temp dir by a hash of the source, so most workers never load the compiler.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(tmpdir(), 'ocidex-test-transpiled');
let compiler = null;

export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const url = new URL(specifier, parent);
    const source = new URL(`${url.href.slice(0, -3)}.ts`);
    if (!existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(source))) {
      return { url: source.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}

async function transpile(fileName, source) {
  compiler ??= (await import('typescript')).default;
  const options = { module: compiler.ModuleKind.ESNext, target: compiler.ScriptTarget.ES2022 };
  return compiler.transpileModule(source, { fileName, compilerOptions: options }).outputText;
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const fileName = fileURLToPath(url);
  const source = await readFile(fileName, 'utf8');
  const cached = join(CACHE, `${createHash('sha256').update(fileName).update('\0').update(source).digest('hex')}.js`);
  let output = await readFile(cached, 'utf8').catch(() => null);
  if (output === null) {
    output = await transpile(fileName, source);
    mkdirSync(CACHE, { recursive: true });
    // Written aside, then renamed: workers starting at once never read half a file.
    const partial = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(partial, output);
    await rename(partial, cached);
  }
  return { format: 'module', source: output, shortCircuit: true };
}
