// What the browser tests share: a test page bundled with esbuild, served from 127.0.0.1 with Grafana's icons (and,
// for pages that query, a Grafana API stand-in), and Debian's Chromium driven by playwright-core.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { extname, join } from 'path';
import { BrowserContext, chromium, Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ICONS = join(__dirname, '../../node_modules/@grafana/ui/dist/public/img/icons');
const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
  '.svg': 'image/svg+xml',
};

/** Answers a request the static files do not (the Grafana API stand-in); false = not handled. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface TestPage {
  baseUrl: string;
  page: Page;
  /** Page errors, failed requests and console errors seen so far. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Bundles `entry`, serves it with `pageData` as `window[dataName]`, and opens it in Chromium. */
export async function openTestPage(opts: {
  entry: string;
  title: string;
  dataName: string;
  pageData: unknown;
  api?: ApiHandler;
}): Promise<TestPage> {
  const workDir = mkdtempSync(join(tmpdir(), 'netdata-page-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'netdata-chromium-'));
  await build({
    entryPoints: [opts.entry],
    bundle: true,
    outdir: workDir,
    entryNames: 'main',
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    // Fonts and images of @grafana/ui and plugin-ui are not needed to drive the page.
    loader: { '.svg': 'text', '.png': 'empty', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty' },
    logLevel: 'error',
  });
  const data = JSON.stringify(opts.pageData).replace(/</g, '\\u003c');
  writeFileSync(
    join(workDir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>${opts.title}</title>` +
      `<link rel="stylesheet" href="/main.css"></head><body><div id="root"></div>` +
      // Grafana's page sets grafanaBootData before any plugin code runs; @grafana/runtime's config reads it.
      `<script>window.grafanaBootData = { settings: {}, user: {}, navTree: [], assets: { dark: '', light: '' } };` +
      `window.${opts.dataName} = ${data};</script><script src="/main.js"></script></body></html>`
  );

  const server: Server = createServer((req, res) => {
    void (async () => {
      if (opts.api && (await opts.api(req, res))) {
        return;
      }
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
    })().catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser: BrowserContext = await chromium.launchPersistentContext(profileDir, {
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
  const page = browser.pages()[0] ?? (await browser.newPage());
  const pageErrors: string[] = [];
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

  return {
    baseUrl,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const dir of [workDir, profileDir]) {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Retries an assertion until it passes (React renders asynchronously) or the time is up. */
export async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
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
