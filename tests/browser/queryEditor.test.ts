/** @jest-environment node */
// Drives the real QueryEditor (React 18 + @grafana/ui) in Debian's Chromium: a test page bundled with esbuild
// mounts it with a DataSource whose look-ups answer canned catalog data of a real Netdata 2.9 agent plus 10 000
// generated contexts; every onChange is printed as JSON into a <pre>, which the test reads back.
import { join } from 'path';

import { testIds } from '../../src/testIds';
import { editorPageData } from './editorPageData';
import { eventually, openTestPage, type TestPage } from './harness';

const SCREENSHOT = '/tmp/netdata-query-editor.png';
const MENU_SCREENSHOT = '/tmp/netdata-query-editor-context-search.png';

jest.setTimeout(60_000);

let ui: TestPage;

beforeAll(async () => {
  ui = await openTestPage({
    entry: join(__dirname, 'page', 'main.tsx'),
    title: 'Netdata query editor',
    dataName: '__NETDATA_CANNED__',
    pageData: editorPageData({ refId: 'A' }),
  });
});

afterAll(async () => {
  await ui?.close();
});

const savedQuery = async (): Promise<Record<string, unknown>> =>
  JSON.parse((await ui.page.getByTestId(testIds.pageSavedQuery).textContent()) ?? '{}');

const savedQueryMatches = (expected: Record<string, unknown>) =>
  eventually(async () => expect(await savedQuery()).toMatchObject(expected));

test('picks a context by title among 10 000, a dimension, group by node and a legend; saves the query', async () => {
  const { page, pageErrors } = ui;
  await page.goto(ui.baseUrl);
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
