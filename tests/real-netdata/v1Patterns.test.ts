/** @jest-environment node */
// Issue 11 rule 5 on the real Netdata 1.37.1: a name holding a pattern character is one exact item. The agent's own
// reading of escapes (netdata-api-extra.md §8.3) first, then the built executable in v1 mode through a recording proxy.
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess } from '../protocol/grafanaHost';
import { decodedSeries } from '../protocol/json2Expect';
import { describeReal, get, recordingProxy } from './realNetdata';

jest.setTimeout(90000);

describeReal('names with pattern characters on the real Netdata 1.37.1', (real) => {
  const data = (dimensions: string) =>
    get(
      real().url,
      `/api/v1/data?chart=system.cpu&after=-5&points=1&format=json&options=jsonwrap&dimensions=${dimensions}`
    );
  const names = (text: string): string[] => (JSON.parse(text) as { dimension_names: string[] }).dimension_names;

  it('the agent reads `\\|`, `\\,` and a leading `\\!` literally, and `|` `,` `!` as pattern syntax', async () => {
    expect(names((await data(encodeURIComponent('user|system'))).text)).toEqual(['user', 'system']);
    for (const literal of ['user\\|system', 'user\\,system', '\\!user']) {
      const a = await data(encodeURIComponent(literal));
      expect([literal, a.status, a.text]).toEqual([literal, 404, 'No metrics where matched to query.']);
    }
    expect(names((await data(encodeURIComponent('!user,*'))).text)).not.toContain('user');
    // `\x` for an ordinary character is that character.
    expect(names((await data(encodeURIComponent('us\\er'))).text)).toEqual(['user']);
  });

  describe('through the plugin (v1 mode)', () => {
    let plugin: PluginProcess;
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    const now = Date.now();
    const window = { fromMs: now - 60_000, toMs: now - 5_000, maxDataPoints: 11, intervalMs: 1000 };

    beforeAll(async () => {
      proxy = await recordingProxy(real().url);
      plugin = await startPlugin();
    });
    afterAll(async () => {
      await plugin?.kill();
      await proxy?.close();
    });

    const run = async (json: Record<string, unknown>) => {
      const from = proxy.recorded.length;
      const res = await plugin.queryData(dataSourceSettings({ url: proxy.url, uid: 'real-v1-patterns' }), [
        { refId: 'A', json, ...window },
      ]);
      const sent = proxy.recorded
        .slice(from)
        .filter((r) => /\/api\/v1\/data\?/.test(r.path))
        .map((r) => ({ dimensions: new URLSearchParams(r.path.split('?')[1]).get('dimensions'), status: r.status }));
      return { a: res.responses.A, sent };
    };

    it('dimension `user|system` is one name: sent escaped, the agent has none, the query says so', async () => {
      const { a, sent } = await run({ context: 'system.cpu', nodes: [real().parent], dimensions: ['user|system'] });
      expect(sent).toEqual([{ dimensions: 'user\\|system', status: 404 }]);
      expect(a.status).not.toBe(200);
      expect(a.error).toMatch(/Dimension "user\|system" is not in the charts of context "system.cpu"/);
    });

    it('the names `user` and `system` as two entries select exactly those two', async () => {
      const { a, sent } = await run({
        context: 'system.cpu',
        nodes: [real().parent],
        dimensions: ['user', 'system'],
        groupBy: ['dimension'],
      });
      expect(sent).toEqual([{ dimensions: 'user|system', status: 200 }]);
      expect(a.status).toBe(200);
      expect(decodeFrames(a.frames).map((t) => decodedSeries(t).labels.dimension)).toEqual(['user', 'system']);
    });
  });
});
