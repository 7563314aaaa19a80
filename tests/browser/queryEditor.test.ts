/** @jest-environment node */
// Drives the real QueryEditor (React 18 + @grafana/ui) in Debian's Chromium: a test page bundled with esbuild
// mounts it with a DataSource whose look-ups answer canned catalog data of a real Netdata 2.9 agent plus 10 000
// generated contexts; every onChange is printed as JSON into a <pre>, which the test reads back.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { extname, join } from 'path';
import { BrowserContext, chromium, Page } from 'playwright-core';

import { loadFixture } from '../fixtures';
import { parseContexts, parseNodes } from '../../src/netdata/catalog';
import { parseContextDetails } from '../../src/netdata/contextDetails';
import type { NetdataQuery } from '../../src/types';
import { testIds } from '../../src/testIds';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/netdata-query-editor.png';
const MENU_SCREENSHOT = '/tmp/netdata-query-editor-context-search.png';
const GENERATED_CONTEXTS = 10_000;

jest.setTimeout(60_000);

let workDir: string;
let profileDir: string;
let server: Server;
let baseUrl: string;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** What the page's look-ups answer: the agent's catalog from the fixtures, plus generated contexts. */
function canned(query: NetdataQuery) {
  const catalog = loadFixture('v3_contexts_system_cpu_options.json') as { contexts: Record<string, unknown> };
  const agentNodes = parseNodes(loadFixture('v2_nodes.json'));
  // A Parent knows its children too.
  const nodes = [...agentNodes, { id: 'child-mg-1', machineGuid: 'child-mg-1', hostname: 'child1' }];
  const generated = Array.from({ length: GENERATED_CONTEXTS }, (_, i) => ({
    id: `app${String(i).padStart(5, '0')}.requests`,
    title: `Application ${i} requests`,
    units: 'requests/s',
    family: `app ${i % 100}`,
  }));
  const contexts = [...parseContexts(catalog), ...generated].sort((a, b) => a.id.localeCompare(b.id));
  const details = Object.fromEntries(Object.keys(catalog.contexts).map((id) => [id, parseContextDetails(catalog, id)]));
  return { nodes, contexts, details, latencyMs: 50, query, jsonData: {} };
}

const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
  '.svg': 'image/svg+xml',
};
const ICONS = join(__dirname, '../../node_modules/@grafana/ui/dist/public/img/icons');

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'netdata-editor-page-'));
  profileDir = mkdtempSync(join(tmpdir(), 'netdata-editor-chromium-'));
  await build({
    entryPoints: [join(__dirname, 'page', 'main.tsx')],
    bundle: true,
    outdir: workDir,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    // Fonts and images of @grafana/ui and plugin-ui are not needed to drive the editor.
    loader: { '.svg': 'text', '.png': 'empty', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty' },
    logLevel: 'error',
  });
  const data = JSON.stringify(canned({ refId: 'A' })).replace(/</g, '\\u003c');
  writeFileSync(
    join(workDir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>Netdata query editor</title>` +
      `<link rel="stylesheet" href="/main.css"></head><body><div id="root"></div>` +
      // Grafana's page sets grafanaBootData before any plugin code runs; @grafana/runtime's config reads it.
      `<script>window.grafanaBootData = { settings: {}, user: {}, navTree: [], assets: { dark: '', light: '' } };` +
      `window.__NETDATA_CANNED__ = ${data};</script><script src="/main.js"></script></body></html>`
  );

  server = createServer((req, res) => {
    const path = req.url === '/' ? '/index.html' : (req.url ?? '/').split('?')[0];
    // Grafana's icons, as a Grafana server serves them from its public folder.
    const icon = /^\/public\/build\/img\/icons\/(\w+)\/([\w-]+\.svg)$/.exec(path);
    const file = icon ? join(ICONS, icon[1], icon[2]) : /^\/[\w.-]+$/.test(path) ? join(workDir, path) : undefined;
    try {
      if (!file) {
        throw new Error('not served');
      }
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1500, height: 1100 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Grafana's web fonts and its spinner icon are not in any npm package: the page falls back to system fonts and
  // shows no spinner.
  const expected404 = (url: string) =>
    /^\/public\/(fonts\/|build\/img\/icons\/unicons\/spinner\.svg$)/.test(new URL(url).pathname);
  page.on('response', (r) => r.status() >= 400 && !expected404(r.url()) && pageErrors.push(`${r.status()} ${r.url()}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      pageErrors.push(msg.text());
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const dir of [workDir, profileDir]) {
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

const savedQuery = async (): Promise<Record<string, unknown>> =>
  JSON.parse((await page.getByTestId(testIds.pageSavedQuery).textContent()) ?? '{}');

/** Retries an assertion until it passes (React renders asynchronously) or the time is up. */
async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const savedQueryMatches = (expected: Record<string, unknown>) =>
  eventually(async () => expect(await savedQuery()).toMatchObject(expected));

test('picks a context by title among 10 000, a dimension, group by node and a legend; saves the query', async () => {
  await page.goto(baseUrl);
  // A new query starts with the dashboard defaults.
  await savedQueryMatches({ refId: 'A', context: 'system.cpu', groupBy: ['dimension'] });

  // Context: open the menu of 10 186 contexts; only the visible rows are rendered.
  const contextInput = page.locator(`#${testIds.queryContext}`);
  await contextInput.click();
  const options = page.getByRole('option');
  await options.first().waitFor();
  const rendered = await options.count();
  expect(rendered).toBeGreaterThan(3);
  expect(rendered).toBeLessThan(60);

  // Search by part of the title.
  await contextInput.fill('Disk I/O Band');
  const diskIo = options.filter({ hasText: 'disk.io' });
  await diskIo.first().waitFor();
  expect(await options.first().textContent()).toMatch(/^disk\.ioDisk I\/O Bandwidth \(KiB\/s\)/);
  await page.screenshot({ path: MENU_SCREENSHOT });
  await diskIo.first().click();
  await savedQueryMatches({ context: 'disk.io', dimensions: [] });

  // Dimension: offered from the context's details.
  const dimensions = page.locator(`#${testIds.queryDimensions}`);
  await dimensions.click();
  await page.getByRole('option', { name: 'reads', exact: true }).click();
  await page.keyboard.press('Escape');
  await savedQueryMatches({ dimensions: ['reads'] });

  // Group by node instead of dimension.
  await page.locator(`#${testIds.queryGroupBy}`).click();
  await page.getByRole('option').filter({ hasText: /^node/ }).click();
  await page
    .getByRole('option')
    .filter({ hasText: /^dimension/ })
    .click();
  await page.keyboard.press('Escape');
  await savedQueryMatches({ groupBy: ['node'] });

  // Legend: committed on blur.
  await page.locator(`#${testIds.queryLegend}`).fill('{{dimension}} on {{node}}');
  await page.keyboard.press('Tab');

  await eventually(async () =>
    expect(await savedQuery()).toEqual({
      refId: 'A',
      context: 'disk.io',
      dimensions: ['reads'],
      instances: [],
      labels: [],
      groupBy: ['node'],
      aggregation: 'avg',
      timeGroup: 'average',
      legendFormat: '{{dimension}} on {{node}}',
    })
  );

  // The details of disk.io were looked up for it; labels are offered for filters.
  const calls = await page.evaluate(() => window.__NETDATA_CALLS__);
  expect(calls).toContainEqual({ route: 'context', params: { context: 'disk.io' } });
  await page.getByRole('button', { name: 'Add label filter' }).click();
  await page.locator(`#${testIds.queryLabelKey(0)}`).click();
  await page
    .getByRole('option')
    .filter({ hasText: /^device_type/ })
    .waitFor();
  await page.keyboard.press('Escape');

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(pageErrors).toEqual([]);
});
