/** @jest-environment node */
// The token never leaves the plugin except towards the configured base URL: a Netdata that echoes it everywhere
// (names, titles, error bodies, redirects) is driven through every path of the plugin, and everything the plugin
// answers or logs is searched for it. Resource routes cannot be steered to another host, path or endpoint.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  dataSourceSettings,
  decodeFrames,
  startPlugin,
  type PluginProcess,
  type QueryInput,
} from '../protocol/grafanaHost';
import { decodedSeries } from '../protocol/json2Expect';
import { brief } from './answers';
import { BASE_PATH, ERROR_MODES, startLeakyNetdata, type LeakMode, type LeakyNetdata } from './leakyNetdata';
import type { DataSourceInstanceSettingsMsg } from '../../src/backend/protocol/messages';

jest.setTimeout(120_000);

const AGENT_TOKEN = '7e3c1a9b-5f2d-4d2f-9a8e-0c5b6d7eLEAK';
const CLOUD_TOKEN = 'ndc.LEAKCHECK.Qm9vYmFyYmF6cXV4LWNsb3VkLXRva2Vu';
const TOKENS = [AGENT_TOKEN, CLOUD_TOKEN];
/** A leak of part of a token counts too. */
const NEEDLES = TOKENS.flatMap((t) => [t, t.slice(6, 26)]);

const NOW = Date.now();

function q(refId: string, json: unknown): QueryInput {
  return { refId, json, fromMs: NOW - 600_000, toMs: NOW - 30_000, maxDataPoints: 60, intervalMs: 10_000 };
}

interface Output {
  where: string;
  bytes: Buffer;
}

describe('the token never leaves the plugin', () => {
  let thief: Server;
  let thiefHits: string[];
  let leaky: LeakyNetdata;
  let plugin: PluginProcess;
  const outputs: Output[] = [];
  const record = (where: string, value: unknown) =>
    outputs.push({ where, bytes: Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value) ?? '') });

  beforeAll(async () => {
    thiefHits = [];
    thief = createServer((req, res) => {
      thiefHits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('{}');
    });
    await new Promise<void>((r) => thief.listen(0, '127.0.0.1', r));
    leaky = await startLeakyNetdata(`http://127.0.0.1:${(thief.address() as AddressInfo).port}`);
    // Debug level: even the most verbose log lines must be clean.
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await leaky?.close();
    await new Promise<void>((r) => thief?.close(() => r()));
  });

  /** Settings per mode (and per check): a fresh data source instance, so that every path runs in that mode. */
  const agent = (mode: string): DataSourceInstanceSettingsMsg =>
    dataSourceSettings({ url: leaky.url, token: AGENT_TOKEN, uid: `agent-${mode}`, timeout: 5 });
  const cloud = (mode: string): DataSourceInstanceSettingsMsg =>
    dataSourceSettings({
      url: leaky.url,
      transport: 'cloud',
      token: CLOUD_TOKEN,
      spaceId: 'sp1',
      roomId: 'rm1',
      uid: `cloud-${mode}`,
      timeout: 5,
    });

  const RESOURCES = ['nodes', 'contexts', 'context?context=system.cpu', 'spaces', 'rooms?spaceId=sp1'];

  async function everyPath(mode: LeakMode) {
    leaky.setMode(mode);
    for (const [name, settings, token] of [
      ['agent', agent(mode), AGENT_TOKEN],
      ['cloud', cloud(mode), CLOUD_TOKEN],
    ] as const) {
      // The token also sits in the query itself, so executedQueryString would carry it.
      const res = await plugin.queryData(settings, [
        q('A', { context: 'system.cpu', dimensions: [token] }),
        q('B', { context: 'system.cpu', legendFormat: token }),
      ]);
      for (const [refId, r] of Object.entries(res.responses)) {
        record(`${mode} ${name} QueryData ${refId} answer`, { ...r, frames: undefined });
        r.frames.forEach((f, i) => record(`${mode} ${name} QueryData ${refId} frame ${i}`, Buffer.from(f)));
      }
      const health = await plugin.checkHealth(settings);
      record(`${mode} ${name} CheckHealth`, { status: health.status, message: health.message });
      record(`${mode} ${name} CheckHealth details`, Buffer.from(health.jsonDetails ?? []));
      for (const route of RESOURCES) {
        const answer = await plugin.callResource(settings, route);
        record(`${mode} ${name} CallResource ${route}`, Buffer.from(answer.text));
        record(`${mode} ${name} CallResource ${route} headers`, answer.headers);
      }
    }
  }

  it('answers correctly while Netdata echoes the token in every name, title and unit', async () => {
    await everyPath('ok');
    const res = await plugin.queryData(agent('ok'), [q('A', { context: 'system.cpu' })]);
    expect(res.responses.A.status).toBe(200);
    const [series] = decodeFrames(res.responses.A.frames).map(decodedSeries);
    // Proof that the echo reached the frames and was scrubbed there.
    expect(series.labels.node).toBe('nd290-[redacted]');
    const health = await plugin.checkHealth(agent('ok'));
    expect(health.status).toBe(1);
    const cloudHealth = await plugin.checkHealth(cloud('ok'));
    expect(cloudHealth.status).toBe(1);
    expect(cloudHealth.message).toContain('space "space [redacted]", room "room [redacted]"');
    const nodes = await plugin.callResource(agent('ok'), 'nodes');
    expect(nodes.code).toBe(200);
    expect(nodes.text).toContain('nd290-[redacted]');
  });

  it.each(ERROR_MODES)('fails clearly and without the token when Netdata answers %s', async (mode) => {
    await everyPath(mode);
    const res = await plugin.queryData(agent(mode), [q('A', { context: 'system.cpu' })]);
    expect(res.responses.A.status).toBeGreaterThanOrEqual(400);
    expect(res.responses.A.error).toBeTruthy();
    const health = await plugin.checkHealth(cloud(mode));
    expect(health.status).toBe(2);
    expect(health.message.length).toBeGreaterThan(20);
  });

  it('refuses redirects to another host with a clear error; that host never sees a request', async () => {
    leaky.setMode('redirectOtherHost');
    const res = await plugin.queryData(agent('redirect-check'), [q('A', { context: 'system.cpu' })]);
    expect(brief(res.responses.A)).toMatchObject({ status: 502, errorSource: 'downstream' });
    expect(res.responses.A.error).toMatch(
      /answered with a redirect \(302\) to the host 127\.0\.0\.1:\d+; redirects are not followed so the token is never sent elsewhere/
    );
    const resource = await plugin.callResource(cloud('redirect-check'), 'spaces');
    expect(resource.code).toBe(502);
    expect((resource.body as { error: string }).error).toMatch(/redirects are not followed/);
    expect(thiefHits).toEqual([]);
  });

  it('echoes no token from a settings error', async () => {
    const broken = dataSourceSettings({ url: `http://[${AGENT_TOKEN}`, token: AGENT_TOKEN, uid: 'broken-url' });
    const health = await plugin.checkHealth(broken);
    expect(health.status).toBe(2);
    expect(health.message).toMatch(/is not a valid URL/);
    record('settings error CheckHealth', health.message);
    const res = await plugin.queryData(broken, [q('A', { context: 'system.cpu' })]);
    record('settings error QueryData', res.responses.A);
    const resource = await plugin.callResource(broken, 'nodes');
    record('settings error CallResource', resource.text);
  });

  it('sent the token only to the configured base URL, under its base path', () => {
    expect(leaky.requests.length).toBeGreaterThan(100);
    for (const r of leaky.requests) {
      expect(r.url.startsWith(`${BASE_PATH}/api/`)).toBe(true);
      expect([`Bearer ${AGENT_TOKEN}`, `Bearer ${CLOUD_TOKEN}`]).toContain(r.authorization);
    }
    expect(thiefHits).toEqual([]);
  });

  it('leaked the token into no answer, frame, health message or resource body', () => {
    expect(outputs.length).toBeGreaterThan(200);
    const leaks = outputs.filter((o) => NEEDLES.some((n) => o.bytes.includes(n))).map((o) => o.where);
    expect(leaks).toEqual([]);
  });

  it('logged no token on stderr, at any level', () => {
    const lines = plugin.stderrLines;
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((l) => NEEDLES.some((n) => l.includes(n)))).toEqual([]);
    expect(plugin.extraStdout).toBe('');
  });
});

describe('resource routes cannot reach another host, path or endpoint', () => {
  let leaky: LeakyNetdata;
  let plugin: PluginProcess;
  let settings: DataSourceInstanceSettingsMsg;

  beforeAll(async () => {
    leaky = await startLeakyNetdata('http://127.0.0.1:9');
    plugin = await startPlugin();
    settings = dataSourceSettings({ url: leaky.url, token: AGENT_TOKEN, uid: 'tricks' });
    // Learn the agent API first, so that any later request would have come from a trick.
    expect((await plugin.callResource(settings, 'nodes')).code).toBe(200);
  });
  afterAll(async () => {
    await plugin?.kill();
    await leaky?.close();
  });

  async function expectRefused(pathAndQuery: string, code: number, message: RegExp, method = 'GET', body?: Buffer) {
    const before = leaky.requests.length;
    const res = await plugin.callResource(settings, pathAndQuery, method, body);
    expect({ pathAndQuery, code: res.code }).toEqual({ pathAndQuery, code });
    expect(res.headers['Content-Type']).toEqual(['application/json']);
    expect((res.body as { error: string }).error).toMatch(message);
    expect(leaky.requests.slice(before)).toEqual([]);
  }

  it.each([
    '../api/v1/allmetrics',
    'nodes/../../api/v1/info',
    '..%2Fapi%2Fv1%2Finfo',
    'nodes%2F..%2Fspaces',
    'http://evil.invalid/nodes',
    '//evil.invalid/nodes',
    'nodes@evil.invalid',
    'nodes\r\nHost: evil.invalid',
    'nodes;jsessionid=1',
    'nodes.json',
    '%6eodes',
  ])('path %j → 400', async (path) => {
    await expectRefused(path, 400, /Not a valid resource path/);
  });

  it.each(['data', 'api/v3/data', 'api/v1/allmetrics', 'info', 'alarms', 'function', 'weights', 'proxy', 'nodes/list'])(
    'an endpoint the editor does not need (%s) → 404',
    async (path) => {
      await expectRefused(path, 404, /Unknown resource/);
    }
  );

  it.each([
    ['a path in context', 'context?context=..%2F..%2Fapi%2Fv1%2Finfo', /not a valid id/],
    ['an absolute URL', 'context?context=http%3A%2F%2Fevil.invalid%2Fx', /not a valid id/],
    ['an @', 'context?context=system.cpu%40evil.invalid', /not a valid id/],
    ['an encoded CRLF', 'context?context=system.cpu%0D%0AHost%3A%20evil.invalid', /not a valid id/],
    ['a raw CRLF', 'context?context=system.cpu\r\nHost: evil.invalid', /not a valid id/],
    ['a double-encoded #', 'context?context=system.cpu%2523', /not a valid id/],
    ['an encoded & (parameter smuggling)', 'context?context=system.cpu%26after%3D-1', /not a valid id/],
    ['".." as a node', 'contexts?nodes=%2e%2e', /not a valid id/],
    ['a backslash', 'contexts?nodes=a%5Cb', /not a valid id/],
    ['a path in spaceId on an agent', 'nodes?spaceId=..%2F..%2Fapi', /not a valid id/],
    [
      'an unknown url parameter',
      'contexts?nodes=a&url=http%3A%2F%2Fevil.invalid',
      /Unknown parameter "url" for the resource contexts/,
    ],
    ['an unknown parameter', 'nodes?foo=1', /Unknown parameter "foo"/],
    ['a parameter to spaces', 'spaces?x=1', /Unknown parameter "x" for the resource spaces, which takes no parameters/],
    ['a repeated single parameter', 'context?context=a&context=b', /given more than once/],
    ['a 600-character id', `context?context=${'x'.repeat(600)}`, /too long/],
    ['201 nodes', `contexts?${'nodes=a&'.repeat(201)}`, /Too many values of nodes/],
    ['a 40 000-character query string', `contexts?nodes=${'a'.repeat(40_000)}`, /query string is too long/],
    ['a missing required parameter', 'context', /context is required/],
  ])('parameters with %s → 400', async (_label, url, message) => {
    await expectRefused(url, 400, message);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s → 405', async (method) => {
    await expectRefused('nodes', 405, /only answers GET/, method, Buffer.from('{}'));
  });

  it('a GET with a body → 400', async () => {
    await expectRefused('contexts', 400, /takes no request body/, 'GET', Buffer.from('{"nodes":["x"]}'));
  });

  it('the routes it does serve reach only their read endpoints under the base path', async () => {
    const before = leaky.requests.length;
    for (const route of ['nodes', 'contexts', 'contexts?nodes=a&nodes=b', 'context?context=system.cpu&nodes=a']) {
      expect((await plugin.callResource(settings, route)).code).toBe(200);
    }
    const paths = leaky.requests.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]}`);
    expect(new Set(paths)).toEqual(new Set([`GET ${BASE_PATH}/api/v3/nodes`, `GET ${BASE_PATH}/api/v3/contexts`]));
    expect((await plugin.health()).status).toBe(1);
  });
});
