/**
 * The catalog end to end: `ocidex demo --serve` (the sample set pushed to a real docker-registry,
 * signed, crawled under the demo's trust policy, then served) driven by Debian's Chromium
 * through playwright-core, checked with axe-core (light and dark), and stopped by SIGTERM.
 * The admin actions are in catalog-admin-browser.test.ts.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatalogDemo,
  consoleErrorsOf,
  eventually,
  screenshot as screenshotOf,
  seriousViolations as violationsOf,
  startCatalogDemo,
} from '../support/catalog-browser.js';

let catalog: CatalogDemo;
let url: string;
let browser: Browser;
let page: Page;
let consoleErrors: string[] = [];

const screenshot = (name: string) => screenshotOf(page, name);
const seriousViolations = () => violationsOf(page);
/** How far the page scrolls sideways (0 or less: it fits). */
const overflow = () =>
  page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

/** The relative luminance (WCAG, 0 black to 1 white) of the body's computed `property` color. */
async function luminance(property: 'color' | 'background-color'): Promise<number> {
  const color = await page.evaluate<string>(`getComputedStyle(document.body).getPropertyValue('${property}')`);
  const [red, green, blue] = (color.match(/[\d.]+/g) ?? []).map((channel) => {
    const value = Number(channel) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (red ?? 0) + 0.7152 * (green ?? 0) + 0.0722 * (blue ?? 0);
}

const resultNames = () => page.locator('.result-list h2 a').allTextContents();
const facetCount = (facet: string, value: string) =>
  page.locator(`fieldset[data-facet="${facet}"] .facet-value`, { hasText: value }).locator('.count').textContent();

beforeAll(async () => {
  catalog = await startCatalogDemo();
  ({ url, browser } = catalog);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  consoleErrors = consoleErrorsOf(page);
}, 180_000);

afterAll(async () => {
  await catalog?.close();
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

  it('is usable at a phone width (375 px): no sideways scrolling on any page, search, open a model, axe', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${url}/`);
    await page.locator('.result-list > li').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot('landing-phone');
    const search = await page.locator('#text').boundingBox();
    expect(search !== null && search.x >= 0 && search.x + search.width <= 375).toBe(true);
    await page.fill('#text', 'fraud');
    await page.press('#text', 'Enter');
    await eventually(resultNames).toEqual(['fraud-detector', 'fraud-detector']);
    await page.locator('.result-list h2 a').first().click();
    await page.waitForURL(/\/models\//);
    await page.locator('.copy pre').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    // The commands scroll sideways here: reachable by keyboard (scrollable-region-focusable).
    expect(await seriousViolations()).toEqual([]);
    await screenshot('model-phone');
    for (const [path, content] of [
      ['/registries', '.crawls'],
      ['/queries', '.saved li'],
    ] as const) {
      await page.goto(`${url}${path}`);
      await page.locator(content).first().waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      expect(await seriousViolations()).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('follows prefers-color-scheme: dark, with no serious accessibility violation (contrast included)', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${url}/`);
    await page.locator('.result-list > li').first().waitFor();
    expect(await luminance('background-color')).toBeGreaterThan(0.8);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await luminance('background-color')).toBeLessThan(0.05);
    expect(await luminance('color')).toBeGreaterThan(0.6);
    expect(await seriousViolations()).toEqual([]);
    await screenshot('landing-dark');
    await page.goto(`${url}/?q=${encodeURIComponent('$[?@.size >]')}`);
    await page.locator('#q-error').waitFor();
    expect(await seriousViolations()).toEqual([]);
    await page.goto(`${url}/?verified=true`);
    await page.locator('.result-list h2 a').first().click();
    await page.locator('.tree li[data-kind="signature"]').first().waitFor();
    expect(await seriousViolations()).toEqual([]);
    await screenshot('model-dark');
    for (const [path, content] of [
      ['/registries', '.crawls'],
      ['/queries', '.saved li .count'],
    ] as const) {
      await page.goto(`${url}${path}`);
      await page.locator(content).first().waitFor();
      expect(await seriousViolations()).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: null });
  });

  it('logged no console error (but the 400s of the invalid queries it was given)', () => {
    const unexpected = consoleErrors.filter((message) => !message.includes('status of 400'));
    expect(unexpected).toEqual([]);
    expect(consoleErrors.length).toBeLessThanOrEqual(4);
  });

  it('stops the demo on SIGTERM with exit code 0', async () => {
    catalog.demo.child.kill('SIGTERM');
    expect(await catalog.demo.exited).toEqual({ code: 0, signal: null });
  });
});
