/** @jest-environment node */
// Live panels through the built executable, the way Grafana Live drives a backend plugin: QueryData answers a live
// query with one frame naming its channel, SubscribeStream accepts the channel's path, one RunStream per channel
// receives the new rows, and cancelling the last RunStream stops the polls. The fake agent collects one row per
// second (its clock is the wall clock), so the assertions count rows and polls, never durations.
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type FrameJsonPacket, type PluginProcess } from './grafanaHost';

jest.setTimeout(60000);

const UID = 'live-uid';
const QUERY = {
  context: 'system.cpu',
  nodes: ['parent01'],
  dimensions: ['user', 'system'],
  groupBy: ['dimension'],
  live: true,
};

function rowTimes(p: FrameJsonPacket): number[] {
  return (p.data?.values[0] ?? []) as number[];
}

function dataPolls(fake: FakeNetdata): number {
  return fake.requests.filter((r) => r.path === '/api/v3/data').length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

describe('live metrics streams', () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;
  const settings = () => dataSourceSettings({ url: fake.url, uid: UID });

  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  async function liveQuery(): Promise<{ path: string; fields: string[]; lastMs: number; labels: unknown[] }> {
    const now = Date.now();
    const res = await plugin.queryData(settings(), [
      { refId: 'A', json: QUERY, fromMs: now - 30_000, toMs: now, maxDataPoints: 30, intervalMs: 1000 },
    ]);
    expect(res.responses.A.error).toBeFalsy();
    const tables = decodeFrames(res.responses.A.frames);
    expect(tables).toHaveLength(1);
    const meta = JSON.parse(tables[0].schema.metadata.get('meta') ?? '{}') as { channel: string; type: string };
    expect(meta.type).toBe('timeseries-wide');
    const prefix = `ds/${UID}/`;
    expect(meta.channel.startsWith(`${prefix}metrics/`)).toBe(true);
    const times = tables[0].getChildAt(0)!.toArray() as BigInt64Array;
    return {
      path: meta.channel.slice(prefix.length),
      fields: tables[0].schema.fields.map((f) => f.name),
      labels: tables[0].schema.fields.slice(1).map((f) => JSON.parse(f.metadata.get('labels') ?? '{}')),
      lastMs: Number(times[times.length - 1] / BigInt(1_000_000)),
    };
  }

  it('subscribes to the channel QueryData names and refuses other paths and publishing', async () => {
    const { path } = await liveQuery();
    expect(path).toMatch(/^metrics\/[A-Za-z0-9_-]{22}$/);
    expect((await plugin.subscribeStream(settings(), path)).status).toBe(0);
    expect((await plugin.subscribeStream(settings(), 'metrics/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(1);
    expect((await plugin.subscribeStream(settings(), 'other/thing')).status).toBe(1);
    expect((await plugin.subscribeStream(dataSourceSettings({ url: fake.url, uid: 'another' }), path)).status).toBe(1);
    expect((await plugin.publishStream(settings(), path, Buffer.from('{}'))).status).toBe(2);
  });

  it('sends only the rows after the last one, one per second per series, with the query fields', async () => {
    const first = await liveQuery();
    const run = plugin.runStream(settings(), first.path);
    const polls0 = dataPolls(fake);
    const packets = await run.next(4);
    const polls = dataPolls(fake) - polls0;
    run.cancel();
    for (const p of packets) {
      expect(p.schema?.fields.map((f) => f.name)).toEqual(first.fields);
      expect(p.schema?.fields.slice(1).map((f) => f.labels)).toEqual(first.labels);
      expect(p.data?.values.every((v) => v.length === rowTimes(p).length)).toBe(true);
    }
    const times = packets.flatMap(rowTimes);
    expect(times[0]).toBeGreaterThan(first.lastMs);
    // Consecutive seconds: nothing twice, nothing missing.
    expect(times.slice(1).map((t, i) => t - times[i])).toEqual(times.slice(1).map(() => 1000));
    // Each poll brought its second's row: as many polls as packets (one may have found nothing new yet).
    expect(polls).toBeGreaterThanOrEqual(packets.length);
    expect(polls).toBeLessThanOrEqual(packets.length + 1);
    expect(times.length).toBeLessThanOrEqual(polls + 1);
  });

  it('polls Netdata once per interval however many streams share the query, and stops with the last', async () => {
    const { path } = await liveQuery();
    // Grafana runs one RunStream per channel and org: three orgs watching the same panel.
    const runs = [0, 1, 2].map(() => plugin.runStream(settings(), path));
    await Promise.all(runs.map((r) => r.next(1)));
    const polls0 = dataPolls(fake);
    const batches = await Promise.all(runs.map((r) => r.next(3)));
    const polls = dataPolls(fake) - polls0;
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(polls).toBeLessThanOrEqual(4);
    const seen = batches.map((b) => b.flatMap(rowTimes));
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);

    runs[0].cancel();
    runs[1].cancel();
    const more = await runs[2].next(2);
    expect(more.flatMap(rowTimes).length).toBeGreaterThanOrEqual(2);
    runs[2].cancel();
    await sleep(300);
    const after = dataPolls(fake);
    await sleep(2500);
    expect(dataPolls(fake)).toBe(after);
  });

  it('retries a broken Netdata with a notice on the frame, then carries on', async () => {
    const { path } = await liveQuery();
    const run = plugin.runStream(settings(), path);
    await run.next(1);
    fake.setFault({ kind: 'status', status: 503, body: 'busy' });
    const [failed] = await run.next(1);
    fake.setFault(undefined);
    expect(failed.schema?.meta?.notices?.[0].severity).toBe('warning');
    expect(failed.schema?.meta?.notices?.[0].text).toMatch(
      /^Live update from Netdata failed \(.*\); retrying in \d+ s$/
    );
    const [recovered] = await run.next(1);
    expect(recovered.schema?.meta?.notices).toBeUndefined();
    expect(rowTimes(recovered).length).toBeGreaterThan(0);
    run.cancel();
  });

  it('fails a RunStream for a path no live query registered', async () => {
    const run = plugin.runStream(settings(), 'metrics/BBBBBBBBBBBBBBBBBBBBBB');
    await expect(run.next(1)).rejects.toThrow(/refresh the panel/);
  });
});

describe('live metrics streams through Netdata Cloud', () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;
  const settings = () =>
    dataSourceSettings({
      url: fake.url,
      transport: 'cloud',
      token: 'cloud-token',
      spaceId: fake.spaceId,
      roomId: fake.roomId,
      uid: 'live-cloud',
    });

  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'cloud' });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  it('polls the room data endpoint every 5 s, bringing the rows collected since', async () => {
    const now = Date.now();
    const res = await plugin.queryData(settings(), [
      {
        refId: 'A',
        json: { ...QUERY, nodes: [] },
        fromMs: now - 30_000,
        toMs: now,
        maxDataPoints: 30,
        intervalMs: 1000,
      },
    ]);
    expect(res.responses.A.error).toBeFalsy();
    const [table] = decodeFrames(res.responses.A.frames);
    const channel = (JSON.parse(table.schema.metadata.get('meta') ?? '{}') as { channel: string }).channel;
    const dataPath = `/api/v3/spaces/${fake.spaceId}/rooms/${fake.roomId}/data`;
    const polls = () => fake.requests.filter((r) => r.path === dataPath).length;
    const before = polls();
    const run = plugin.runStream(settings(), channel.slice('ds/live-cloud/'.length));
    const [packet] = await run.next(1, 20_000);
    run.cancel();
    expect(polls() - before).toBe(1);
    const times = rowTimes(packet);
    // One poll per 5 s: several consecutive per-second rows in one packet, none twice.
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times.length).toBeLessThanOrEqual(7);
    expect(times.slice(1).map((t, i) => t - times[i])).toEqual(times.slice(1).map(() => 1000));
  });
});
