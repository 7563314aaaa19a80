/** @jest-environment node */
// Issue 11 rules 2, 7 and 8 through the built executable: a statistic over a range longer than tier-0 retention, the
// unit of countif, and anomaly rates on nodes that do not run anomaly detection.
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';
import { decodedSeries } from './json2Expect';

jest.setTimeout(90000);

type Table = ReturnType<typeof decodeFrames>[number];

function notices(table: Table): Array<[string, string]> {
  const meta = JSON.parse(table.schema.metadata.get('meta') ?? '{}') as {
    notices?: Array<{ severity: string; text: string }>;
  };
  return (meta.notices ?? []).map((n) => [n.severity, n.text]);
}

function q(refId: string, json: Record<string, unknown>, hours: number): QueryInput {
  const toMs = Date.now() - 60_000;
  return { refId, json, fromMs: toMs - hours * 3600_000, toMs, maxDataPoints: 60, intervalMs: (hours * 3600_000) / 60 };
}

let plugin: PluginProcess;
beforeAll(async () => {
  plugin = await startPlugin();
});
afterAll(async () => {
  await plugin?.kill();
});

describe('rule 2: statistical time groups past tier-0 retention', () => {
  const KEEP_H = 3;
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', tier0RetentionS: KEEP_H * 3600 });
  });
  afterAll(() => fake?.close());
  const settings = () => dataSourceSettings({ url: fake.url, uid: 'tiers' });
  const P95 = { context: 'system.load', nodes: ['parent01'], timeGroup: 'percentile', timeGroupOptions: '95' };

  it('inside tier-0 retention: tier 0 is forced and the frames say nothing about tiers', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(settings(), [q('A', P95, 1)]);
    expect(res.responses.A.error).toBeFalsy();
    const data = fake.requests.filter((r) => r.path.endsWith('/data'));
    expect(data.map((r) => r.query.get('tier'))).toEqual(['0']);
    const tables = decodeFrames(res.responses.A.frames);
    expect(tables.flatMap(notices)).toEqual([]);
  });

  it('past it: Netdata picks the tier, the panel has values and a notice names the aggregated tier', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(settings(), [
      q('B', P95, 24),
      q('C', { context: 'system.load', nodes: ['parent01'] }, 24),
    ]);
    expect(res.responses.B.error).toBeFalsy();
    const data = fake.requests.filter((r) => r.path.endsWith('/data'));
    expect(data.map((r) => r.query.get('tier'))).toEqual([null, null]);
    const tables = decodeFrames(res.responses.B.frames);
    const values = tables.flatMap((t) => decodedSeries(t).values);
    expect(values.filter((v) => typeof v === 'number').length).toBeGreaterThan(values.length / 2);
    expect(notices(tables[0])).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^percentile: this range reaches past tier-0 retention, so Netdata computed it from per-minute averages \(tier 1\), not from every sample; tier 0 \(every sample\) starts at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
        ),
      ],
    ]);
    // An average is exact on every tier: no notice.
    expect(decodeFrames(res.responses.C.frames).flatMap(notices)).toEqual([]);
  });
});

describe('rule 7: countif answers percentages', () => {
  it('its series have the unit percent, not the context’s unit (load)', async () => {
    const fake = await startFakeNetdata({ mode: 'agent' });
    try {
      const settings = dataSourceSettings({ url: fake.url, uid: 'countif' });
      const res = await plugin.queryData(settings, [
        q('A', { context: 'system.load', timeGroup: 'countif', timeGroupOptions: '>0' }, 1),
        q('B', { context: 'system.load' }, 1),
      ]);
      const units = (refId: string) =>
        decodeFrames(res.responses[refId].frames).map(
          (t) => (JSON.parse(t.schema.fields[1].metadata.get('config') ?? '{}') as { unit?: string }).unit
        );
      expect(units('A')).toEqual(['percent', 'percent', 'percent']);
      expect(units('B')).not.toContain('percent');
    } finally {
      await fake.close();
    }
  });
});

describe('rule 8: anomaly rate where anomaly detection is off', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', mlNodes: ['parent01'] });
  });
  afterAll(() => fake?.close());
  const settings = () => dataSourceSettings({ url: fake.url, uid: 'ml' });
  const CPU_BY_NODE = { context: 'system.cpu', groupBy: ['node'], aggregation: 'sum', anomalyRate: true };

  it('per node: a rate series for the node that runs it, a notice instead for the one that does not', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(settings(), [q('A', CPU_BY_NODE, 1), q('B', CPU_BY_NODE, 2)]);
    for (const refId of ['A', 'B']) {
      expect(res.responses[refId].error).toBeFalsy();
      const tables = decodeFrames(res.responses[refId].frames);
      const series = tables.map((t) => decodedSeries(t).labels);
      expect(series.filter((l) => l.series_type === undefined).map((l) => l.node)).toEqual(['parent01', 'child01']);
      expect(series.filter((l) => l.series_type === 'anomaly_rate').map((l) => l.node)).toEqual(['parent01']);
      expect(notices(tables[0])).toEqual([['info', expect.stringMatching(/^Anomaly detection is off on child01: /)]]);
    }
    // The node list is read once for both queries.
    expect(fake.requests.filter((r) => r.path.endsWith('/nodes'))).toHaveLength(1);
  });

  it('a query without anomaly rates does not read the node list', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(dataSourceSettings({ url: fake.url, uid: 'ml-plain' }), [
      q('A', { context: 'system.cpu', groupBy: ['node'] }, 1),
    ]);
    expect(res.responses.A.error).toBeFalsy();
    expect(fake.requests.filter((r) => r.path.endsWith('/nodes'))).toHaveLength(0);
  });
});
