/** @jest-environment node */
// Issue 11 rule 1 on the real Netdata 1.37.1 Parent: a data source URL ending in `/host/<child>` sees only the child,
// in health, the node list, data grouped by node and alert annotations.
import {
  dataSourceSettings,
  decodeFrames,
  startPlugin,
  type PluginProcess,
  type QueryInput,
} from '../protocol/grafanaHost';
import { decodedSeries } from '../protocol/json2Expect';
import { describeReal } from './realNetdata';

jest.setTimeout(90000);

describeReal('a /host/<child> data source URL on the real Netdata 1.37.1 Parent', (real) => {
  let plugin: PluginProcess;
  const now = Date.now();
  const window = { fromMs: now - 600_000, toMs: now - 5_000, maxDataPoints: 20, intervalMs: 30_000 };
  const q = (refId: string, json: Record<string, unknown>, queryType?: string): QueryInput => ({
    refId,
    json: queryType ? { ...json, queryType } : json,
    ...(queryType ? { queryType } : {}),
    ...window,
  });
  const settings = () => dataSourceSettings({ url: `${real().url}/host/${real().child}`, uid: 'real-host-child' });

  beforeAll(async () => {
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
  });

  it('health and the node list name only the child', async () => {
    const health = await plugin.checkHealth(settings());
    expect(health.status).toBe(1);
    expect(health.message).toContain(`${real().url}/host/${real().child}`);
    expect(health.message).toContain(real().child);
    expect(health.message).not.toContain(real().parent);
    const nodes = await plugin.callResource(settings(), 'nodes');
    expect(nodes.code).toBe(200);
    expect((nodes.body as { nodes: Array<{ hostname: string }> }).nodes.map((n) => n.hostname)).toEqual([real().child]);
  });

  it('data grouped by node has the child’s series only', async () => {
    const res = await plugin.queryData(settings(), [
      q('A', { context: 'system.cpu', groupBy: ['node'], aggregation: 'sum' }),
    ]);
    expect(res.responses.A.error).toBeFalsy();
    const series = decodeFrames(res.responses.A.frames).map(decodedSeries);
    expect(series.map((s) => s.labels.node)).toEqual([real().child]);
    expect(series[0].values.some((v) => v !== null)).toBe(true);
  });

  it('alert annotations come from the child only', async () => {
    const res = await plugin.queryData(settings(), [
      {
        ...q('T', { alertStatuses: ['CRITICAL', 'WARNING', 'CLEAR'] }, 'alertTransitions'),
        fromMs: now - 24 * 3600_000,
      },
    ]);
    expect(res.responses.T.error).toBeFalsy();
    const [table] = decodeFrames(res.responses.T.frames);
    const i = table.schema.fields.findIndex((f) => f.name === 'tags');
    const tags = Array.from({ length: table.numRows }, (_, r) => String(table.getChildAt(i)!.get(r)));
    expect(tags.length).toBeGreaterThan(0);
    for (const t of tags) {
      expect(t.split(',')).toContain(real().child);
      expect(t.split(',')).not.toContain(real().parent);
    }
  });
});
