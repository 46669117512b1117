/**
 * The catalog (the browser client in `ui/`, built by `npm run build` into `dist/ui`) served at
 * `/`: hashed assets under `/assets/` are immutable, `index.html` is revalidated on every visit
 * (it names the current assets), and each page path of the client answers with it. Files are
 * read once, from the build next to this module; a checkout without a build answers 404 with
 * how to build it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

/** Page paths of the client (client-side routes), each answered with index.html. */
const PAGE_PATHS = ['/', '/registries', '/queries', '/models/*'];

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Same-origin only: the catalog loads nothing from elsewhere. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The built catalog: index.html and the assets by file name. */
export interface CatalogFiles {
  index: string;
  assets: Map<string, Buffer>;
}

/** The build directory: `dist/ui` from `dist/src/api` (built) or from `src/api` (tests from source). */
export function catalogDirectory(): string | null {
  const candidates = ['../../ui', '../../dist/ui'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((directory) => existsSync(join(directory, 'index.html'))) ?? null;
}

/** Reads the build in `directory`, or null when there is none. */
export function readCatalog(directory: string | null = catalogDirectory()): CatalogFiles | null {
  if (directory === null || !existsSync(join(directory, 'index.html'))) return null;
  const assets = new Map<string, Buffer>();
  const assetDirectory = join(directory, 'assets');
  if (existsSync(assetDirectory)) {
    for (const name of readdirSync(assetDirectory)) assets.set(name, readFileSync(join(assetDirectory, name)));
  }
  return { index: readFileSync(join(directory, 'index.html'), 'utf8'), assets };
}

/** The catalog's routes over `files` (read once at start). */
export function catalogRoutes(files: CatalogFiles | null = readCatalog()): Hono {
  const router = new Hono();
  router.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const body = files?.assets.get(name);
    if (body === undefined) return c.text('not found', 404);
    const type = CONTENT_TYPES[extname(name)] ?? 'application/octet-stream';
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': type,
      'Cache-Control': IMMUTABLE,
      'X-Content-Type-Options': 'nosniff',
    });
  });
  for (const path of PAGE_PATHS) {
    router.get(path, (c) => {
      if (files === null) return c.text('The catalog is not built: run `npm run build`.\n', 404);
      c.header('Cache-Control', 'no-cache');
      c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      c.header('X-Content-Type-Options', 'nosniff');
      return c.html(files.index);
    });
  }
  return router;
}
