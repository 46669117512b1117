/**
 * The registries page's admin actions in a browser, against `ocidex demo --serve` (its registry
 * configured as `demo`, its admin token printed): the token entered is kept in sessionStorage
 * only, "crawl now" starts a crawl the page then shows finished, a schedule saved is shown again
 * after a reload, and a wrong token gets the API's error, not a crawl.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatalogDemo,
  consoleErrorsOf,
  eventually,
  screenshot,
  seriousViolations,
  startCatalogDemo,
} from '../support/catalog-browser.js';

let catalog: CatalogDemo;
let context: BrowserContext;
let page: Page;
let consoleErrors: string[] = [];

const card = () => page.locator('section[aria-labelledby="registry-demo"]');
const crawlIds = async () => (await card().locator('.crawls tbody td:first-child').allTextContents()).map(Number);
const statusMessage = () => card().locator('[role="status"]').textContent();

/** Every value the page keeps in localStorage and cookies, with its URL: where the token must not be. */
async function keptOutsideSession(): Promise<string> {
  const local = await page.evaluate<string>('JSON.stringify(Object.entries(localStorage))');
  const cookies = JSON.stringify(await context.cookies());
  return `${page.url()} ${local} ${cookies}`;
}

/** The demo registry as the API answers it (a plain read). */
async function demoRegistry(): Promise<{ schedule?: string }> {
  return (await (await fetch(`${catalog.url}/v1/registries/demo`)).json()) as { schedule?: string };
}

async function enterToken(token: string): Promise<void> {
  await page.fill('#admin-token', token);
  await page.locator('form.admin button[type="submit"]').click();
}

beforeAll(async () => {
  catalog = await startCatalogDemo();
  context = await catalog.browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  consoleErrors = consoleErrorsOf(page);
  await page.goto(`${catalog.url}/registries`);
  await page.locator('.crawls tr[data-status="succeeded"]').first().waitFor();
}, 180_000);

afterAll(async () => {
  await context?.close();
  await catalog?.close();
});

describe('the registries page for an admin', () => {
  it('keeps the token entered in sessionStorage only: not in localStorage, cookies or the URL', async () => {
    await enterToken(catalog.adminToken);
    await eventually(() => page.evaluate<string | null>("sessionStorage.getItem('ocidex.adminToken')")).toBe(
      catalog.adminToken,
    );
    expect(await keptOutsideSession()).not.toContain(catalog.adminToken);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('starts a crawl with "Crawl now" and shows it finished', async () => {
    const before = await crawlIds();
    await card().locator('button', { hasText: 'Crawl now' }).click();
    await eventually(statusMessage).toBe('Crawl started.');
    const newest = () => card().locator('.crawls tbody tr').first();
    await eventually(async () => Number(await newest().locator('td').first().textContent())).toBeGreaterThan(
      Math.max(...before),
    );
    await eventually(() => newest().getAttribute('data-status')).toBe('succeeded');
    await screenshot(page, 'registries-crawled');
    expect(await keptOutsideSession()).not.toContain(catalog.adminToken);
  });

  it('saves a schedule and shows it after a reload', async () => {
    await page.fill('#schedule-demo', '15 3 * * *');
    await card().locator('button', { hasText: 'Save schedule' }).click();
    await eventually(statusMessage).toBe('Schedule saved.');
    await page.reload();
    await eventually(() => page.inputValue('#schedule-demo')).toBe('15 3 * * *');
    const registry = await demoRegistry();
    expect(registry.schedule).toBe('15 3 * * *');
  });

  it('shows the API error for a schedule that is no cron expression, and keeps the saved one', async () => {
    await page.fill('#schedule-demo', 'every tuesday');
    await card().locator('button', { hasText: 'Save schedule' }).click();
    await eventually(statusMessage).toMatch(/\(invalid_argument\)$/);
    const registry = await demoRegistry();
    expect(registry.schedule).toBe('15 3 * * *');
  });

  it('answers a wrong token with the unauthorized error, and starts no crawl', async () => {
    await page.reload();
    await card().locator('.crawls tbody tr').first().waitFor();
    const before = await crawlIds();
    await enterToken('not-the-admin-token');
    await card().locator('button', { hasText: 'Crawl now' }).click();
    await eventually(statusMessage).toMatch(/\(unauthorized\)$/);
    await page.reload();
    await card().locator('.crawls tbody tr').first().waitFor();
    expect(await crawlIds()).toEqual(before);
  });

  it('forgets the token on "Forget"', async () => {
    await page.locator('form.admin button', { hasText: 'Forget' }).click();
    await eventually(() => page.evaluate<number>('sessionStorage.length')).toBe(0);
    expect(await page.inputValue('#admin-token')).toBe('');
  });

  it('logged no console error but the refused requests it made (400 schedule, 401 token)', () => {
    const unexpected = consoleErrors.filter((message) => !/status of (400|401)/.test(message));
    expect(unexpected).toEqual([]);
    expect(consoleErrors.length).toBeLessThanOrEqual(2);
  });
});
