/**
 * The catalog end to end: `ocidex demo --serve` (the sample set pushed to a real docker-registry,
 * signed, crawled under the demo's trust policy, then served) driven by Debian's Chromium
 * through playwright-core (never a downloaded browser), checked with axe-core, and stopped by
 * SIGTERM. Screenshots go to $OCIDEX_SCREENSHOTS when set.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let directory: string;
let demo: CapturedProcess;
let url: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

/** The catalog URL the demo printed, once it did. */
async function printedUrl(server: CapturedProcess): Promise<string> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const match = /The catalog is served at (http:\/\/\S+?)\/? /.exec(server.output());
    if (match?.[1] !== undefined) return match[1];
    if (server.hasExited()) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`ocidex demo --serve printed no URL: ${server.output() || '(no output)'}`);
}

async function screenshot(name: string): Promise<void> {
  const target = process.env.OCIDEX_SCREENSHOTS;
  if (target !== undefined && target !== '')
    await page.screenshot({ path: join(target, `${name}.png`), fullPage: true });
}

/** Serious and critical axe-core violations of the current page. */
async function seriousViolations(): Promise<string[]> {
  await page.evaluate(AXE);
  const results = await page.evaluate(async () =>
    (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
      }
    ).axe.run(),
  );
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.nodes.length})`);
}

/** Polls `read` until the assertion after it holds (15 s: this machine is shared and slow at times). */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

const resultNames = () => page.locator('.result-list h2 a').allTextContents();
const facetCount = (facet: string, value: string) =>
  page.locator(`fieldset[data-facet="${facet}"] .facet-value`, { hasText: value }).locator('.count').textContent();

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  directory = mkdtempSync(join(tmpdir(), 'ocidex-catalog-e2e-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('OCIDEX_')),
  );
  demo = spawnCaptured(process.execPath, [CLI, 'demo', '--serve', '--port', '0', '--db', join(directory, 'demo.db')], {
    ...env,
    DOCKER_CONFIG: '/nonexistent',
  });
  url = await printedUrl(demo);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (demo !== undefined) await stopProcess(demo);
  rmSync(directory, { recursive: true, force: true });
});

describe('the catalog in a browser', () => {
  it('lands on every document, newest first, with facet counts, and no serious accessibility violation', async () => {
    await page.goto(`${url}/`);
    await page.locator('.result-list > li').first().waitFor();
    expect(await page.locator('.result-list > li').count()).toBe(19);
    expect(await facetCount('kind', 'model')).toBe('14');
    expect(await seriousViolations()).toEqual([]);
    await screenshot('landing-desktop');
  });

  it('searches by words', async () => {
    await page.fill('#text', 'fraud');
    await page.press('#text', 'Enter');
    await page.waitForURL(/text=fraud/);
    await eventually(resultNames).toEqual(['fraud-detector', 'fraud-detector']);
  });

  it('narrows with a facet click, which changes the other counts', async () => {
    await page.goto(`${url}/`);
    await page.locator('.result-list > li').first().waitFor();
    expect(await facetCount('signed', 'yes')).toBe('3');
    await page.locator('fieldset[data-facet="verified"] .facet-value', { hasText: 'yes' }).locator('input').check();
    await page.waitForURL(/verified=true/);
    await eventually(() => page.locator('.result-list > li').count()).toBe(1);
    await eventually(() => facetCount('signed', 'yes')).toBe('1');
  });

  it('runs a JSONPath query in either dialect, sorts, and pages with the cursor', async () => {
    const q = encodeURIComponent("$[?@.kind == 'model']");
    await page.goto(`${url}/?q=${q}&sort=name`);
    await eventually(() => page.locator('.result-list > li').count()).toBe(14);
    // Models with a name first, by name; the unnamed ones (shown by repository) after them.
    const names = (await resultNames()).filter((name) => !name.includes('/'));
    expect(names.length).toBeGreaterThan(5);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    await page.selectOption('#sort', 'size');
    await page.waitForURL(/sort=size/);
    const plus = encodeURIComponent("$[?(@.kind === 'model')]");
    await page.goto(`${url}/?q=${plus}&dialect=jsonpath-plus`);
    await eventually(() => page.locator('.result-list > li').count()).toBe(14);
    // A query selecting values, not documents: each value is shown as JSON.
    await page.goto(`${url}/?q=${encodeURIComponent("$[?@.kind == 'index'].reference")}`);
    await eventually(() => page.locator('.result-list > li pre').allTextContents()).toEqual([
      expect.stringContaining('images/base@sha256:'),
    ]);
  });

  it('pages with the cursor: next page, then back to the first', async () => {
    await page.goto(`${url}/?limit=8`);
    await page.locator('.result-list > li').first().waitFor();
    const first = await page.locator('.result-list .reference').allTextContents();
    expect(first).toHaveLength(8);
    await page.locator('a[rel="next"]').click();
    await page.waitForURL(/cursor=/);
    await eventually(() => page.locator('.result-list .reference').allTextContents()).not.toEqual(first);
    const second = await page.locator('.result-list .reference').allTextContents();
    expect(second.filter((reference) => first.includes(reference))).toEqual([]);
    await page.locator('.paging a', { hasText: 'First page' }).click();
    await eventually(() => page.locator('.result-list .reference').allTextContents()).toEqual(first);
  });

  it('shows an invalid query its error inline', async () => {
    await page.goto(`${url}/?q=${encodeURIComponent('$[?@.size >]')}`);
    const error = page.locator('#q-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/at character \d+/);
    expect(await page.locator('#q').getAttribute('aria-invalid')).toBe('true');
  });

  it('restores the whole state from a shared URL', async () => {
    const shared = `${url}/?text=detector&license=${encodeURIComponent('"Apache-2.0"')}&sort=name&order=desc`;
    const other = await browser.newPage();
    await other.goto(shared);
    await other.locator('.result-list > li').first().waitFor();
    expect(await other.inputValue('#text')).toBe('detector');
    expect(await other.inputValue('#sort')).toBe('name');
    expect(await other.locator('fieldset[data-facet="license"] input:checked').count()).toBe(1);
    await other.close();
  });

  it('opens a model: its verified signature with its signer, its SBOM, and the lineage to images/modelcar', async () => {
    await page.goto(`${url}/?verified=true`);
    await page.locator('.result-list h2 a').first().click();
    await page.waitForURL(/\/models\//);
    const signature = page.locator('.tree li[data-kind="signature"]').first();
    await signature.waitFor();
    expect(await signature.locator('.status').textContent()).toBe('verified');
    expect(await signature.textContent()).toContain('signer key:sha256:');
    expect(await page.locator('.copy pre').first().textContent()).toContain('models/sentiment');
    expect(await seriousViolations()).toEqual([]);
    await screenshot('model-desktop');

    await page.goto(`${url}/?text=modelcar`);
    await page.locator('.result-list h2 a').first().click();
    const from = page.locator('.lineage li', { hasText: 'subject:' });
    await eventually(() => from.textContent()).toContain('models/fraud-detector:v2');
    await from.locator('a').click();
    await page.waitForURL(/fraud-detector/);
    const derived = page.locator('.lineage ul').nth(1);
    await eventually(() => derived.textContent()).toContain('images/modelcar');
    // fraud-detector v2 carries an SPDX SBOM, itself signed (Notation): the tree nests it.
    const sbom = page.locator('.tree li[data-kind="sbom"]');
    expect(await sbom.count()).toBe(1);
    expect(await sbom.locator('.tree li[data-kind="signature"]').count()).toBe(1);
  });

  it('shows the registries page with the finished crawls', async () => {
    await page.goto(`${url}/registries`);
    const finished = page.locator('.crawls tr[data-status="succeeded"]').first();
    await finished.waitFor();
    expect(await page.locator('#registry-demo').count()).toBe(1);
    expect(await seriousViolations()).toEqual([]);
  });

  it('lists the saved queries with their counts as one-click searches', async () => {
    await page.goto(`${url}/queries`);
    const mountable = page.locator('.saved li', { hasText: 'mountable-models' });
    await eventually(() => mountable.locator('.count').textContent()).toMatch(/^\d+$/);
    await mountable.locator('h2 a').click();
    await page.waitForURL(/q=/);
    await page.locator('.result-list li, .result-list + p').first().waitFor();
  });

  it('fits a phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/`);
    await page.locator('.result-list > li').first().waitFor();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot('landing-phone');
  });

  it('logged no console error (but the 400s of the invalid query it was given)', () => {
    const unexpected = consoleErrors.filter((message) => !message.includes('status of 400'));
    expect(unexpected).toEqual([]);
    expect(consoleErrors.length).toBeLessThanOrEqual(2);
  });

  it('stops the demo on SIGTERM with exit code 0', async () => {
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toEqual({ code: 0, signal: null });
  });
});
