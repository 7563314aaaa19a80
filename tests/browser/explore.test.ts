/** @jest-environment node */
// The dashboard filter bar and Explore's logs, end to end in Debian's Chromium: a test page (page/explore.tsx, whose
// comment says what is Grafana's and what is ours) runs our DataSource; its requests go through a Grafana API
// stand-in (grafanaApi.ts) to the built plugin executable over gRPC, which asks the fake Netdata. The tests assert
// the Netdata requests the fake received and what the page shows.
import { join } from 'path';

import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, startPlugin, type PluginProcess } from '../protocol/grafanaHost';
import { grafanaApi } from './grafanaApi';
import { eventually, openTestPage, type TestPage } from './harness';
import type { ExplorePageData } from './page/explore';

jest.setTimeout(90_000);

const TOKEN = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const UID = 'netdata-browser';
const SCREENSHOT = '/tmp/netdata-explore-page.png';

let fake: FakeNetdata;
let plugin: PluginProcess;
let ui: TestPage;

beforeAll(async () => {
  fake = await startFakeNetdata({ mode: 'agent', bearerToken: TOKEN });
  plugin = await startPlugin();
  const now = Date.now();
  const pageData: ExplorePageData = {
    uid: UID,
    queries: [
      { refId: 'A', context: 'disk.io', groupBy: ['instance'] },
      { refId: 'B', context: 'net.net', groupBy: ['instance'] },
    ],
    logsQuery: {
      refId: 'L',
      queryType: 'logs',
      function: 'systemd-journal',
      labelFields: ['_SYSTEMD_UNIT', 'SYSLOG_IDENTIFIER'],
      limit: 25,
    },
    fromMs: now - 3600_000,
    toMs: now,
  };
  ui = await openTestPage({
    entry: join(__dirname, 'page', 'explore.tsx'),
    title: 'Netdata filter bar and logs',
    dataName: '__EXPLORE_PAGE__',
    pageData,
    api: grafanaApi(plugin, dataSourceSettings({ url: fake.url, uid: UID, token: TOKEN }), UID),
  });
});

afterAll(async () => {
  await ui?.close();
  await plugin?.kill();
  await fake?.close();
});

async function pick(id: string, text: string) {
  const { page } = ui;
  await page.locator(`#${id}`).click();
  await page
    .getByRole('option')
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .first()
    .click();
}

async function addFilter(key: string, operator: string, value: string) {
  await pick('filter-key', key);
  await pick('filter-operator', operator);
  await pick('filter-value', value);
  await ui.page.getByRole('button', { name: 'Add filter' }).click();
}

const dataRequests = () => fake.requests.filter((r) => r.path === '/api/v3/data');

test("filter bar: keys and values from the dashboard's contexts; the filters reach every Netdata data request", async () => {
  const { page } = ui;
  await page.goto(ui.baseUrl);
  // Keys: the selectors, then the labels of disk.io and net.net, looked up through the context resource route.
  await page.locator('#filter-key').click();
  const keys = await page.getByRole('option').allTextContents();
  expect(keys.slice(0, 3)).toEqual(['node', 'instance', 'dimension']);
  expect(keys).toEqual(expect.arrayContaining(['device', 'device_type', 'interface_type', 'mount_point']));
  await page.keyboard.press('Escape');
  const lookups = fake.requests.filter((r) => r.path.endsWith('/contexts') || r.path.endsWith('/context'));
  expect(lookups.length).toBeGreaterThan(0);

  // Values of device over both contexts.
  await page.locator('#filter-key').click();
  await page
    .getByRole('option')
    .filter({ hasText: /^device$/ })
    .click();
  await page.locator('#filter-value').click();
  await eventually(async () =>
    expect(await page.getByRole('option').allTextContents()).toEqual(expect.arrayContaining(['eth0', 'sda', 'vda']))
  );
  await page.keyboard.press('Escape');

  const child = fake.nodes.find((n) => n.nm !== fake.nodes[0].nm)!.nm;
  await addFilter('device', '=', 'sda');
  await addFilter('device', '=', 'eth0');
  await addFilter('device_type', '=', 'physical');
  await addFilter('node', '!=', child);
  await eventually(async () =>
    expect(JSON.parse((await page.getByTestId('filters').textContent()) ?? '[]')).toHaveLength(4)
  );

  const before = dataRequests().length;
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await eventually(async () => expect(await page.getByTestId('dashboard-result').textContent()).not.toBe(''), 15_000);
  const sent = dataRequests().slice(before);
  const byContext: Record<string, URLSearchParams> = Object.fromEntries(
    sent.map((r) => [r.query.get('scope_contexts'), r.query])
  );
  expect(Object.keys(byContext).sort()).toEqual(['disk.io', 'net.net']);
  for (const query of Object.values(byContext)) {
    // Same key OR-ed, different keys AND-ed (Netdata reads `labels` that way from v1.45), the node excluded first.
    expect(query.get('labels')).toBe('device:sda|device:eth0|device_type:physical');
    expect(query.get('scope_nodes')).toBe(`!${child}|*`);
  }
  const result = JSON.parse((await page.getByTestId('dashboard-result').textContent()) ?? '{}') as {
    errors: unknown[];
    frames: Array<{ refId: string; series: number }>;
  };
  expect(result.errors).toEqual([]);
  // disk.io keeps the physical sda of the parent; net.net has no physical device: no series, no error.
  expect(result.frames.filter((f) => f.refId === 'A').reduce((n, f) => n + f.series, 0)).toBeGreaterThan(0);

  // A label != cannot be sent to Netdata: both queries fail with the reason, and nothing is asked.
  await addFilter('mount_point', '!=', '/data');
  const beforeRefused = dataRequests().length;
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await eventually(async () =>
    expect(await page.getByTestId('dashboard-result').textContent()).toMatch(/cannot exclude by label/)
  );
  const refused = JSON.parse((await page.getByTestId('dashboard-result').textContent()) ?? '{}') as {
    errors: Array<{ refId: string; message: string }>;
  };
  expect(refused.errors.map((e) => e.refId).sort()).toEqual(['A', 'B']);
  expect(dataRequests().length).toBe(beforeRefused);
  expect(ui.pageErrors).toEqual([]);
});

test("logs: the fake journal's answer shows as log rows with levels and labels, and a volume per level", async () => {
  const { page } = ui;
  await page.goto(ui.baseUrl);
  await page.getByRole('button', { name: 'Run logs' }).click();
  const rows = page.getByTestId('log-row');
  await eventually(async () => expect(await rows.count()).toBe(25), 15_000);
  const levels = await page.getByTestId('log-level').allTextContents();
  expect(new Set(levels).size).toBeGreaterThan(1);
  expect(
    levels.every((l) => ['emerg', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'].includes(l))
  ).toBe(true);
  const labels = await page.getByTestId('log-labels').allTextContents();
  expect(labels.every((l) => /_SYSTEMD_UNIT=\w+\.service SYSLOG_IDENTIFIER=\w+/.test(l))).toBe(true);
  const bodies = await page.getByTestId('log-body').allTextContents();
  // The journal's MESSAGE of a row matches its level (the fake writes "refused" at error, priority 3).
  const errorRow = levels.indexOf('error');
  expect(errorRow).toBeGreaterThanOrEqual(0);
  expect(bodies[errorRow]).toMatch(/refused/);

  // One journal POST for the lines, one for the volume (the supplementary query).
  const posts = fake.requests.filter((r) => r.method === 'POST' && r.query.get('function') === 'systemd-journal');
  expect(posts.length).toBeGreaterThanOrEqual(2);
  expect(posts[posts.length - 2].body).toMatchObject({ last: 25, direction: 'backward', histogram: 'PRIORITY' });
  await eventually(async () => expect(await page.getByTestId('logs-volume').textContent()).not.toBe(''));
  const volume = JSON.parse((await page.getByTestId('logs-volume').textContent()) ?? '{}') as Record<string, number>;
  expect(Object.keys(volume)).toEqual(expect.arrayContaining(['error', 'info']));
  // The histogram counts the whole hour (one entry every 7 s), not just the 25 rows shown.
  expect(Object.values(volume).reduce((a, b) => a + b, 0)).toBeGreaterThan(400);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(ui.pageErrors).toEqual([]);
});
