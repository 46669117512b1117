/**
 * The parts the catalog's browser tests share: `ocidex demo --serve` started in a temp directory
 * (its URL and admin token read from what it prints), Debian's Chromium through playwright-core
 * (never a downloaded browser), axe-core's serious and critical violations, and screenshots to
 * $OCIDEX_SCREENSHOTS when set.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { spawnCaptured, stopProcess, type CapturedProcess } from '../../src/demo/child-process.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A running `ocidex demo --serve` with a browser beside it. */
export interface CatalogDemo {
  demo: CapturedProcess;
  /** The catalog's URL, without a trailing slash. */
  url: string;
  /** The admin token the demo made up for this run. */
  adminToken: string;
  browser: Browser;
  /** Stops the browser and the demo (SIGTERM) and removes the temp directory. */
  close(): Promise<void>;
}

/** Starts the demo on a fresh index and a headless Chromium. */
export async function startCatalogDemo(): Promise<CatalogDemo> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const directory = mkdtempSync(join(tmpdir(), 'ocidex-catalog-e2e-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('OCIDEX_')),
  );
  const demo = spawnCaptured(
    process.execPath,
    [CLI, 'demo', '--serve', '--port', '0', '--db', join(directory, 'demo.db')],
    { ...env, DOCKER_CONFIG: '/nonexistent' },
  );
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await stopProcess(demo);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    const printed = await printedUrl(demo);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    return { demo, ...printed, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The catalog URL and admin token the demo printed, once it did. */
async function printedUrl(server: CapturedProcess): Promise<{ url: string; adminToken: string }> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const match = /The catalog is served at (http:\/\/\S+?)\/? \(admin token for this run: (\S+)\)/.exec(
      server.output(),
    );
    if (match?.[1] !== undefined && match[2] !== undefined) return { url: match[1], adminToken: match[2] };
    if (server.hasExited()) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`ocidex demo --serve printed no URL: ${server.output() || '(no output)'}`);
}

/** Collects the console errors and uncaught exceptions of `page`. */
export function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Saves a full-page screenshot when $OCIDEX_SCREENSHOTS names a directory. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const target = process.env.OCIDEX_SCREENSHOTS;
  if (target !== undefined && target !== '')
    await page.screenshot({ path: join(target, `${name}.png`), fullPage: true });
}

/** Serious and critical axe-core violations of the current page (color contrast included). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const results = await page.evaluate(async () =>
    (
      globalThis as unknown as {
        axe: {
          run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }>;
        };
      }
    ).axe.run(),
  );
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(' ')}`);
}

/** Polls `read` until the assertion after it holds (15 s: this machine is shared and slow at times). */
export const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });
