// Benchmark of the query editor in Debian's Chromium (not a test): the page of the browser test, with a list of
// 10 186 contexts, is loaded; then the context picker is opened and two filters are typed key by key, as a user
// types them (one that narrows the list to a few contexts, one that every generated context matches). Chromium's
// timeline is traced (through CDP, as DevTools' Performance panel records it) from the click that opens the picker to
// the last filtered list shown, and the longest task of the page's main thread is taken from it; the page load
// itself is not counted.
// Run by scripts/bench.mjs (bundled with esbuild); prints one JSON line.
// Usage: node editor.cjs [--runs 3]
import { join } from 'node:path';
import type { Page } from 'playwright-core';

import { testIds } from '../../src/testIds';
import { editorPageData } from '../../tests/browser/editorPageData';
import { eventually, openTestPage } from '../../tests/browser/harness';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
/** A brisk typist: one key every 100 ms. */
const KEY_DELAY_MS = 100;

/** A Chrome trace event (the fields read here). */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

interface Run {
  /** The longest task of the page's main thread, and how many took over 50 ms. */
  longestMs: number;
  longTasks: number;
  /** Click to the first option shown. */
  openMs: number;
  /** Last key of each filter to its first matching option shown. */
  filterMs: number[];
}

const now = (page: Page) => page.evaluate(() => performance.now());

/** Records Chromium's timeline (as DevTools' Performance panel does) while `act` runs; answers its events. */
async function traced(page: Page, act: () => Promise<void>): Promise<TraceEvent[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] },
    transferMode: 'ReturnAsStream',
  });
  await act();
  const complete = new Promise<string | undefined>((resolve) =>
    cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream))
  );
  await cdp.send('Tracing.end');
  const stream = await complete;
  if (!stream) {
    throw new Error('Chromium returned no trace');
  }
  const chunks: string[] = [];
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    chunks.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data);
    if (chunk.eof) {
      break;
    }
  }
  await cdp.send('IO.close', { handle: stream });
  await cdp.detach();
  const trace = JSON.parse(chunks.join('')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(trace) ? trace : trace.traceEvents;
}

/** The tasks (RunTask) of the renderer's main thread, in milliseconds. */
function mainThreadTasks(events: TraceEvent[]): number[] {
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`)
  );
  if (main.size === 0) {
    throw new Error('no renderer main thread in the trace');
  }
  return events
    .filter((e) => e.name === 'RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => (e.dur ?? 0) / 1000);
}

async function typeFilter(page: Page, input: string, text: string, firstOption: RegExp): Promise<number> {
  await page.locator(input).fill('');
  await page.keyboard.type(text, { delay: KEY_DELAY_MS });
  const typed = await now(page);
  await eventually(async () => {
    const first = await page.getByRole('option').first().textContent({ timeout: 1000 });
    if (!firstOption.test(first ?? '')) {
      throw new Error(`first option ${first} does not match ${firstOption}`);
    }
  }, 10_000);
  return (await now(page)) - typed;
}

async function measureOnce(page: Page, baseUrl: string): Promise<Run> {
  await page.goto(baseUrl);
  // The list of contexts has arrived and the page has settled.
  await eventually(async () => {
    const calls = await page.evaluate(() => window.__NETDATA_CALLS__.map((c) => c.route));
    if (!calls.includes('contexts')) {
      throw new Error('contexts not looked up yet');
    }
  }, 20_000);
  await page.waitForTimeout(1000);

  const input = `#${testIds.queryContext}`;
  let openMs = 0;
  const filterMs: number[] = [];
  const events = await traced(page, async () => {
    const start = await now(page);
    await page.locator(input).click();
    await page.getByRole('option').first().waitFor();
    openMs = (await now(page)) - start;
    filterMs.push(await typeFilter(page, input, 'Disk I/O Band', /^disk\.io/));
    filterMs.push(await typeFilter(page, input, 'requests', /^app00000\.requests/));
  });
  await page.keyboard.press('Escape');
  const tasks = mainThreadTasks(events);
  if (tasks.length === 0) {
    throw new Error('no main-thread task in the trace');
  }
  return {
    longestMs: Math.max(...tasks),
    longTasks: tasks.filter((ms) => ms > 50).length,
    openMs,
    filterMs,
  };
}

async function main() {
  const pageData = editorPageData({ refId: 'A' });
  const ui = await openTestPage({
    entry: join(__dirname, '../../tests/browser/page/main.tsx'),
    title: 'Netdata query editor',
    dataName: '__NETDATA_CANNED__',
    pageData,
  });
  try {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await measureOnce(ui.page, ui.baseUrl));
    }
    const result = {
      contexts: pageData.contexts.length,
      runs,
      longestMs: Math.max(...runs.map((r) => r.longestMs)),
      pageErrors: ui.pageErrors,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await ui.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
