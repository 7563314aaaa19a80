/** @jest-environment node */
// Functions and logs through the built executable against the fake agent (netdata-api-extra.md §5).
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';

jest.setTimeout(60000);

const TOKEN = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const NOW = Date.now();

function fn(refId: string, json: Record<string, unknown>, queryType = 'function'): QueryInput {
  return { refId, json: { ...json, queryType }, queryType, fromMs: NOW - 3600_000, toMs: NOW };
}

describe('functions and logs', () => {
  let anon: FakeNetdata;
  let signed: FakeNetdata;
  let plugin: PluginProcess;
  const anonSettings = () => dataSourceSettings({ url: anon.url, uid: 'fn-anon' });
  const signedSettings = () => dataSourceSettings({ url: signed.url, uid: 'fn-signed', token: TOKEN });

  beforeAll(async () => {
    anon = await startFakeNetdata({ mode: 'agent' });
    signed = await startFakeNetdata({ mode: 'agent', bearerToken: TOKEN });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await anon?.close();
    await signed?.close();
  });

  it('answers mount-points, block-devices and network-interfaces as table frames', async () => {
    const res = await plugin.queryData(anonSettings(), [
      fn('M', { function: 'mount-points' }),
      fn('B', { function: 'block-devices' }),
      fn('N', { function: 'network-interfaces' }),
    ]);
    const names: Record<string, string[]> = {};
    for (const refId of ['M', 'B', 'N']) {
      expect(res.responses[refId].error).toBeFalsy();
      const [table] = decodeFrames(res.responses[refId].frames);
      const meta = JSON.parse(table.schema.metadata.get('meta') ?? '{}') as { type: string };
      expect(meta.type).toBe('table');
      names[refId] = table.schema.fields.map((f) => f.name);
      expect(table.numRows).toBeGreaterThan(0);
    }
    expect(names.M).toEqual([
      'Mountpoint',
      'Filesystem',
      'Root',
      'Used%',
      'Avail',
      'Used',
      'Reserved',
      'iUsed%',
      'iAvail',
      'iUsed',
      'iReserved',
    ]);
    expect(names.N).not.toContain('rowOptions');
    const [mounts] = decodeFrames(res.responses.M.frames);
    expect(mounts.getChild('Mountpoint')?.toArray()).toEqual(expect.arrayContaining(['/', '/data']));
    const hidden = JSON.parse(mounts.schema.fields[2].metadata.get('config') ?? '{}') as {
      custom?: { hidden?: boolean };
    };
    expect(hidden.custom?.hidden).toBe(true);
    const recorded = anon.requests.find((r) => r.query.get('function') === 'mount-points');
    expect(recorded?.path).toBe('/api/v3/function');
  });

  it('gives processes with 412 a per-query message naming the token that works, asking Netdata once', async () => {
    anon.requests.length = 0;
    const res = await plugin.queryData(anonSettings(), [
      fn('P', { function: 'processes' }),
      fn('M', { function: 'mount-points' }),
    ]);
    expect(res.responses.P.status).toBe(412);
    expect(res.responses.P.error).toMatch(/^Netdata refused the function processes .*HTTP 412/);
    expect(res.responses.P.error).toMatch(/bearer token of a claimed agent/);
    expect(res.responses.P.error).toMatch(/Netdata Cloud/);
    expect(res.responses.M.error).toBeFalsy();
    expect(anon.requests.filter((r) => r.query.get('function') === 'processes')).toHaveLength(1);
  });

  it('runs processes with a signed-in token, and names a function the node lacks', async () => {
    const res = await plugin.queryData(signedSettings(), [
      fn('P', { function: 'processes' }),
      fn('X', { function: 'processes', node: 'child01' }),
    ]);
    expect(res.responses.P.error).toBeFalsy();
    expect(decodeFrames(res.responses.P.frames)[0].numRows).toBe(3);
    expect(res.responses.X.status).toBe(404);
    expect(res.responses.X.error).toMatch(/does not offer the function processes.*not available on this host/);
    expect(signed.requests.some((r) => r.path === '/host/child01/api/v3/function')).toBe(true);
  });

  it('lists only the functions the chosen node has', async () => {
    const child = await plugin.callResource(anonSettings(), 'functions?node=child01');
    expect(child.code).toBe(200);
    const names = (child.body as { functions: Array<{ name: string }> }).functions.map((f) => f.name);
    expect(names.sort()).toEqual(['mount-points', 'network-interfaces', 'systemd-journal']);
    const bad = await plugin.callResource(anonSettings(), 'functions?node=a/b');
    expect(bad.code).toBe(400);
  });

  it('answers the journal as log rows with levels and labels, and the volume per level when asked', async () => {
    const res = await plugin.queryData(signedSettings(), [
      fn('L', { function: 'systemd-journal', labelFields: ['_SYSTEMD_UNIT', 'SYSLOG_IDENTIFIER'], limit: 20 }, 'logs'),
      // Explore's logs volume (getSupplementaryQuery): the same query with logsVolume.
      fn('log-volume-L', { function: 'systemd-journal', limit: 20, logsVolume: true }, 'logs'),
    ]);
    expect(res.responses.L.error).toBeFalsy();
    const [logs, ...others] = decodeFrames(res.responses.L.frames);
    // The lines only: volume frames beside them would show in Explore as a second graph.
    expect(others).toHaveLength(0);
    const volume = decodeFrames(res.responses['log-volume-L'].frames);
    const meta = JSON.parse(logs.schema.metadata.get('meta') ?? '{}') as { type: string };
    expect(meta.type).toBe('log-lines');
    expect(logs.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['timestamp', 'Timestamp<NANOSECOND>'],
      ['body', 'Utf8'],
      ['severity', 'Utf8'],
      ['id', 'Utf8'],
      ['labels', 'Binary'],
    ]);
    expect(logs.numRows).toBe(20);
    const levels = new Set(logs.getChild('severity')?.toArray() as string[]);
    expect(
      [...levels].every((l) =>
        ['emerg', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'].includes(l)
      )
    ).toBe(true);
    const label = JSON.parse(new TextDecoder().decode(logs.getChild('labels')?.get(0) as Uint8Array)) as Record<
      string,
      string
    >;
    expect(Object.keys(label).sort()).toEqual(['SYSLOG_IDENTIFIER', '_SYSTEMD_UNIT']);
    expect(volume.length).toBeGreaterThan(0);
    const levelsOfVolume = volume.map((v) => {
      const count = v.schema.fields[1];
      return [v.schema.metadata.get('name'), JSON.parse(count.metadata.get('labels') ?? '{}').level];
    });
    // One series per level of the 1 h window; the fake's journal has error, warning, notice, info, debug, critical.
    expect(levelsOfVolume.every(([name, level]) => name === level)).toBe(true);
    expect(levelsOfVolume.map(([, level]) => level)).toEqual(expect.arrayContaining(['error', 'info', 'warning']));
    const total = volume.reduce(
      (sum, v) => sum + (v.getChildAt(1)?.toArray() as Array<number | null>).reduce<number>((a, b) => a + (b ?? 0), 0),
      0
    );
    // Every entry of the hour counted once: one every 7 s on the agent (±1 at the window's edges).
    expect(Math.abs(total - 3600 / 7)).toBeLessThanOrEqual(2);
    const sent = signed.requests.find((r) => r.method === 'POST' && r.query.get('function') === 'systemd-journal');
    expect(sent?.body).toMatchObject({ last: 20, direction: 'backward', histogram: 'PRIORITY' });
  });

  it('filters logs by facet and full text, pages backwards, and refuses unknown facets and anonymous access', async () => {
    const filtered = await plugin.queryData(signedSettings(), [
      fn('F', { function: 'systemd-journal', filters: { PRIORITY: ['3'] }, limit: 10 }, 'logs'),
      fn('U', { function: 'systemd-journal', filters: { NO_SUCH_FIELD: ['x'] } }, 'logs'),
    ]);
    const [errors] = decodeFrames(filtered.responses.F.frames);
    expect(new Set(errors.getChild('severity')?.toArray() as string[])).toEqual(new Set(['error']));
    const ids = errors.getChild('id')?.toArray() as string[];
    expect(filtered.responses.U.error).toMatch(/has no facet NO_SUCH_FIELD/);
    const older = await plugin.queryData(signedSettings(), [
      fn(
        'O',
        { function: 'systemd-journal', filters: { PRIORITY: ['3'] }, limit: 10, anchor: Number(ids[ids.length - 1]) },
        'logs'
      ),
    ]);
    const [page2] = decodeFrames(older.responses.O.frames);
    expect(Number((page2.getChild('id')?.toArray() as string[])[0])).toBeLessThan(Number(ids[ids.length - 1]));
    // The fake is a Linux agent: windows-events is not offered, and Netdata's own 404 message says so.
    const windows = await plugin.queryData(signedSettings(), [fn('W', { function: 'windows-events' }, 'logs')]);
    expect(windows.responses.W.status).toBe(404);
    expect(windows.responses.W.error).toBe(
      'The node does not offer the function windows-events (HTTP 404) (Netdata said: This feature is not available on this host at this time.)'
    );
    const anonymous = await plugin.queryData(anonSettings(), [fn('A', { function: 'systemd-journal' }, 'logs')]);
    expect(anonymous.responses.A.status).toBe(412);
    expect(anonymous.responses.A.error).toMatch(/bearer token of a claimed agent/);
  });
});
