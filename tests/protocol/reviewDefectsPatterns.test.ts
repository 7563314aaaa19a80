/** @jest-environment node */
// Issue 11, rules 3, 5 and 6 through the executable: series limits on 2.6–2.10 (netdata-api-extra.md §8.1, §8.2),
// names holding pattern characters (§8.3) and label filters before v1.45 (§8.4), against fake agents of each version.
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';
import { decodedSeries } from './json2Expect';

jest.setTimeout(60000);

const CLOUD_TOKEN = 'cloud-token-7a6b5c4d3e2f1a0b9c8d';

const NOW = Date.now();
const WINDOW = { fromMs: NOW - 10 * 60_000, toMs: NOW - 30_000, maxDataPoints: 60, intervalMs: 10_000 };

function q(refId: string, json: unknown): QueryInput {
  return { refId, json, ...WINDOW };
}

interface Answer {
  status: number;
  error?: string;
  series: Array<{ name: string; labels: Record<string, string> }>;
  notices: Array<{ severity: string; text: string }>;
}

describe('issue 11 rules 3, 5, 6 through the executable', () => {
  let plugin: PluginProcess;
  const fakes: Record<string, FakeNetdata> = {};

  beforeAll(async () => {
    plugin = await startPlugin();
    fakes.v29 = await startFakeNetdata({ mode: 'agent', version: 'v2.9.0', oddNode: true });
    fakes.v211 = await startFakeNetdata({ mode: 'agent', version: 'v2.11.0', oddNode: true });
    fakes.v147 = await startFakeNetdata({ mode: 'agent', apiLevel: 2, version: 'v1.47.5', oddNode: true });
    fakes.v144 = await startFakeNetdata({ mode: 'agent', apiLevel: 2, version: 'v1.44.0', oddNode: true });
    fakes.v137 = await startFakeNetdata({ mode: 'agent', apiLevel: 1 });
    fakes.cloud = await startFakeNetdata({ mode: 'cloud', cloudToken: CLOUD_TOKEN });
  });
  afterAll(async () => {
    await plugin?.kill();
    await Promise.all(Object.values(fakes).map((f) => f.close()));
  });

  async function query(fake: string, json: Record<string, unknown>): Promise<Answer> {
    fakes[fake].requests.length = 0;
    const f = fakes[fake];
    const settings =
      fake === 'cloud'
        ? dataSourceSettings({
            url: f.url,
            transport: 'cloud',
            token: CLOUD_TOKEN,
            spaceId: f.spaceId,
            roomId: f.roomId,
            uid: 'rules11-cloud',
          })
        : dataSourceSettings({ url: f.url, uid: `rules11-${fake}` });
    const res = await plugin.queryData(settings, [q('A', json)]);
    const a = res.responses.A;
    const tables = a.status === 200 ? decodeFrames(a.frames) : [];
    const meta = tables.length > 0 ? JSON.parse(tables[0].schema.metadata.get('meta') ?? '{}') : {};
    return {
      status: a.status,
      error: a.error,
      series: tables.filter((t) => t.schema.fields.length === 2).map((t) => decodedSeries(t)),
      notices: meta.notices ?? [],
    };
  }

  const dataRequest = (fake: string) => fakes[fake].requests.find((r) => /^\/api\/v[23]\/data$/.test(r.path));

  describe('rule 3: series limit', () => {
    it('2.9, limit 1 over three nodes: no series takes the one node the trimmed summary kept', async () => {
      const a = await query('v29', { context: 'system.cpu', limit: 1 });
      expect(a.status).toBe(200);
      expect(dataRequest('v29')?.query.get('cardinality_limit')).toBe('2');
      expect(a.series).toHaveLength(2);
      // Every node contributes to a dimension summed over three nodes: none of them is its node.
      for (const s of a.series) {
        expect(s.labels).not.toHaveProperty('node');
        expect(s.labels).not.toHaveProperty('machine_guid');
      }
      const rest = a.series[1];
      expect(rest.labels).toEqual({
        context: 'system.cpu',
        series_type: 'remainder',
        merged_series: '5',
        units: 'percentage',
      });
      expect(rest.name).toBe('remaining 5 series (sum)');
      expect(a.notices).toContainEqual({
        severity: 'info',
        text: expect.stringMatching(/^Series limit: 5 series beyond the top 1 are merged into "remaining 5 series/),
      });
    });

    it('2.9, grouped by node: the kept node keeps its labels, the remainder has no node labels', async () => {
      const a = await query('v29', { context: 'system.cpu', groupBy: ['node'], limit: 1 });
      expect(a.status).toBe(200);
      expect(a.series).toHaveLength(2);
      const kept = fakes.v29.nodes.find((n) => n.mg === a.series[0].labels.machine_guid);
      expect(kept).toBeDefined();
      expect(a.series[0].labels.node).toBe(kept?.nm);
      expect(a.series[1].labels).toMatchObject({ series_type: 'remainder', merged_series: '2' });
      expect(a.series[1].labels).not.toHaveProperty('node');
      expect(a.series[1].labels).not.toHaveProperty('machine_guid');
    });

    it('2.11 is sent its own `limit` parameter', async () => {
      const a = await query('v211', { context: 'system.cpu', limit: 2 });
      expect(a.status).toBe(200);
      const sent = dataRequest('v211')?.query;
      expect(sent?.get('limit')).toBe('2');
      expect(sent?.has('cardinality_limit')).toBe(false);
      expect(a.series.map((s) => s.labels.series_type)).toEqual([undefined, undefined, 'remainder']);
    });

    it('1.47 has no series limit: every series comes back, with a notice saying the limit was not applied', async () => {
      const a = await query('v147', { context: 'system.cpu', limit: 1 });
      expect(a.status).toBe(200);
      const sent = dataRequest('v147')?.query;
      expect(sent?.has('limit') || sent?.has('cardinality_limit')).toBe(false);
      expect(a.series).toHaveLength(6);
      expect(a.notices).toContainEqual({
        severity: 'info',
        text: 'Series limit 1 not applied: Netdata v1.47.5 has no series limit (needs v2.6+), so every series is shown',
      });
    });
  });

  describe('rule 5: names with pattern characters are matched exactly', () => {
    it('instance `net.eth0|1` is one name, not the patterns `net.eth0` and `1`', async () => {
      const a = await query('v29', { context: 'net.net', instances: ['net.eth0|1'], groupBy: ['instance'] });
      expect(a.status).toBe(200);
      expect(dataRequest('v29')?.query.get('instances')).toBe('net.eth0\\|1');
      expect(a.series.map((s) => [s.labels.instance, s.labels.node])).toEqual([['net.eth0|1', 'edge|02']]);
    });

    it('node `edge|02` is one hostname', async () => {
      const a = await query('v29', { context: 'system.cpu', nodes: ['edge|02'], groupBy: ['node'] });
      expect(a.status).toBe(200);
      expect(a.series.map((s) => s.labels.node)).toEqual(['edge|02']);
    });

    it('label value `eth0|1` on 2.9 is escaped for both of its parses and selects only that instance', async () => {
      const a = await query('v29', {
        context: 'net.net',
        labels: [{ key: 'device', value: 'eth0|1' }],
        groupBy: ['instance'],
      });
      expect(a.status).toBe(200);
      expect(a.series.map((s) => s.labels.instance)).toEqual(['net.eth0|1']);
    });

    it('a label value with `*` is refused for this query alone, saying why', async () => {
      const a = await query('v29', { context: 'net.net', labels: [{ key: 'device', value: 'eth*' }] });
      expect(a.status).toBe(400);
      expect(a.error).toMatch(/'\*' cannot be escaped in a Netdata pattern/);
    });

    it('Cloud: selector names are sent escaped, one item each', async () => {
      const a = await query('cloud', {
        context: 'disk.io',
        instances: ['disk.vda|x', 'disk.sda'],
        groupBy: ['instance'],
      });
      expect(a.status).toBe(200);
      const body = fakes.cloud.requests.find((r) => r.path.endsWith('/data'))?.body as {
        selectors: { instances: string[] };
      };
      expect(body.selectors.instances).toEqual(['disk.vda\\|x', 'disk.sda']);
      expect(a.series.map((s) => s.labels.instance)).toEqual(['disk.sda']);
    });

    it('Cloud: a label value with | is refused (agents before and after v1.45 read it differently)', async () => {
      const a = await query('cloud', { context: 'net.net', labels: [{ key: 'device', value: 'eth0|1' }] });
      expect(a.status).toBe(400);
      expect(a.error).toMatch(/Label filter "device:eth0\|1" contains '\|'.*Netdata Cloud cannot match it exactly/);
    });

    it('v1 mode (1.37): dimension `user|system` is one name, which system.cpu does not have', async () => {
      const a = await query('v137', { context: 'system.cpu', dimensions: ['user|system'] });
      expect(a.series).toEqual([]);
      expect(a.error).toMatch(/Dimension "user\|system" is not in the charts of context "system.cpu"/);
      const sent = fakes.v137.requests.filter((r) => r.path.endsWith('/api/v1/data'));
      expect(sent.length).toBeGreaterThan(0);
      for (const r of sent) {
        expect(r.query.get('dimensions')).toBe('user\\|system');
      }
    });
  });

  describe('rule 6: label filters before v1.45', () => {
    it('1.44: filters on two keys are refused, not silently OR-ed', async () => {
      const a = await query('v144', {
        context: 'disk.io',
        groupBy: ['instance'],
        labels: [
          { key: 'device', value: 'vda' },
          { key: 'device_type', value: 'physical' },
        ],
      });
      expect(a.status).toBe(400);
      expect(a.error).toMatch(/different keys \(device, device_type\) must all hold, but Netdata before v1\.45/);
      expect(dataRequest('v144')).toBeUndefined();
    });

    it('1.44: one key is translated (escaped once) and selects exactly that value', async () => {
      const a = await query('v144', {
        context: 'net.net',
        groupBy: ['instance'],
        labels: [{ key: 'device', value: 'eth0|1' }],
      });
      expect(a.status).toBe(200);
      expect(dataRequest('v144')?.query.get('labels')).toBe('device:eth0\\|1');
      expect(a.series.map((s) => s.labels.instance)).toEqual(['net.eth0|1']);
    });

    it('1.47 (per-key AND) answers the two-key filter', async () => {
      const a = await query('v147', {
        context: 'disk.io',
        groupBy: ['instance'],
        labels: [
          { key: 'device', value: 'vda' },
          { key: 'device_type', value: 'physical' },
        ],
      });
      expect(a.status).toBe(200);
      expect(a.series.map((s) => [s.labels.instance, s.labels.node])).toEqual([['disk.vda', 'parent01']]);
    });
  });
});
