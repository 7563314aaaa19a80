import { loadFixture } from '../../tests/fixtures';
import { agentFeatures } from './agentFeatures';
import { DEFAULT_CORRELATIONS, type CorrelationsQueryModel } from './correlations';
import {
  buildAgentWeightsRequest,
  buildCloudWeightsRequest,
  correlationsFrame,
  parseWeights,
  powerOfTwoAtLeast,
  weightsWindow,
} from './weights';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const window = (seconds: number) => ({
  fromMs: NOW - seconds * 1000,
  toMs: NOW,
  maxDataPoints: 1000,
  intervalMs: 1000,
});
const model = (over: Partial<CorrelationsQueryModel> = {}): CorrelationsQueryModel => ({
  ...DEFAULT_CORRELATIONS,
  ...over,
});
const params = (path: string) => new URL(`http://x${path}`).searchParams;

describe('weights request', () => {
  it('sends raw scores, the baseline before the highlight and the scope', () => {
    const req = buildAgentWeightsRequest(
      model({ contexts: 'system.*', nodes: ['web1'], labels: [{ key: 'device', value: 'sda' }] }),
      window(600),
      3,
      { timeoutMs: 9000 }
    );
    expect(req.path.startsWith('/api/v3/weights?')).toBe(true);
    const p = params(req.path);
    const before = NOW / 1000;
    expect(Object.fromEntries(p)).toEqual({
      method: 'ks2',
      after: String(before - 600),
      before: String(before),
      baseline_after: String(before - 600 - 4 * 600),
      baseline_before: String(before - 600),
      points: '500',
      options: 'raw,nonzero',
      timeout: '9000',
      scope_contexts: 'system.*',
      scope_nodes: 'web1',
      labels: 'device:sda',
    });
  });

  it('escapes a label value as the agent version parses it: twice from v1.45, once before', () => {
    const q = model({ contexts: 'net.*', labels: [{ key: 'device', value: 'eth0|1' }] });
    const labels = (version: string) =>
      params(buildAgentWeightsRequest(q, window(600), 3, { features: agentFeatures(version) }).path).get('labels');
    expect(labels('v2.9.0')).toBe('device:eth0\\\\\\|1');
    expect(labels('v1.44.0')).toBe('device:eth0\\|1');
  });

  it('adds anomaly-bit for anomaly-rate (the contexts path scores plain values without it) and no baseline', () => {
    const p = params(
      buildAgentWeightsRequest(model({ method: 'anomaly-rate', contexts: 'disk.*' }), window(60), 2).path
    );
    expect(p.get('options')).toBe('raw,nonzero,anomaly-bit');
    expect(p.has('baseline_after')).toBe(false);
    expect(p.has('points')).toBe(false);
  });

  it('keeps points × 2^k within Netdata’s 10000 so that the baseline is not silently shortened', () => {
    expect(powerOfTwoAtLeast(3)).toBe(4);
    expect(powerOfTwoAtLeast(16)).toBe(16);
    expect(weightsWindow(model({ baseline: 16 }), window(600)).points).toBe(500);
    expect(weightsWindow(model({ baseline: 32 }), window(600)).points).toBe(312);
    expect(weightsWindow(model({ baseline: 64 }), window(600)).points).toBe(156);
  });

  it('refuses a window too small to compare, naming the minimum', () => {
    expect(() => weightsWindow(model(), window(10))).toThrow(
      'Correlations by ks2 compare the time range with a baseline before it and need a time range of at least 15 s (this one is 10 s): zoom out or select a wider range'
    );
    expect(() => weightsWindow(model({ method: 'value' }), window(10))).not.toThrow();
  });

  it('builds the Cloud room POST with the same windows', () => {
    const req = buildCloudWeightsRequest(model({ contexts: 'system.cpu' }), window(120), { spaceId: 's', roomId: 'r' });
    expect(req.path).toBe('/api/v3/spaces/s/rooms/r/weights');
    expect(req.body.window).toEqual({
      after: NOW / 1000 - 120,
      before: NOW / 1000,
      points: 500,
      baseline: { after: NOW / 1000 - 600, before: NOW / 1000 - 120 },
    });
    expect(req.body.options).toEqual(['raw', 'nonzero']);
    expect(req.body.scope).toEqual({ contexts: ['system.cpu'] });
  });
});

describe('weights answer (2.9 capture)', () => {
  const body = loadFixture('v2_weights.json') as { result: unknown[][]; correlated_dimensions: number };

  it('reads every dimension row with names from the dictionaries', () => {
    const r = parseWeights(body, 'value');
    expect(r.ok).toBe(true);
    const rows = r.ok ? r.value.rows : [];
    expect(rows).toHaveLength(body.result.filter((x) => x[0] === 0).length);
    expect(rows).toHaveLength(body.correlated_dimensions);
    expect(rows[0]).toMatchObject({
      node: 'nd290-local',
      context: 'system.idlejitter',
      dimension: 'min',
      score: 56.6333333,
    });
    const net = rows.find((x) => x.context === 'system.net' && x.dimensionId === 'InOctets');
    expect(net).toMatchObject({ dimension: 'received', units: 'kilobits/s', instance: 'system.net' });
    expect(r.ok && r.value.ranked).toBe(false);
    expect(r.ok && r.value.window).toEqual({ after: 1795879045, before: 1795879164 });
  });

  it('turns ranks (no raw echoed) into 1 − rank so that higher is more changed', () => {
    const ranked = {
      request: { options: ['nonzero', 'null2zero', 'unaligned'] },
      dictionaries: {
        nodes: [{ mg: 'm', nm: 'n', ni: 0 }],
        contexts: [{ id: 'c', units: 'u', ci: 0 }],
        instances: [{ id: 'i', ii: 0 }],
        dimensions: [
          { id: 'a', di: 0 },
          { id: 'b', di: 1 },
        ],
      },
      result: [
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0.5],
      ],
    };
    const r = parseWeights(ranked, 'ks2');
    expect(r.ok && r.value.rows.map((x) => [x.dimension, x.score])).toEqual([
      ['a', 1],
      ['b', 0.5],
    ]);
    expect(r.ok && r.value.ranked).toBe(true);
  });

  it('makes one table sorted by score, cut at the limit, with links on every row field', () => {
    const r = parseWeights(body, 'value');
    const answer = r.ok ? r.value : { rows: [], ranked: false };
    const link = { title: 'Open in Netdata', url: 'http://agent/' };
    const frame = correlationsFrame(answer, {
      refId: 'A',
      query: model({ method: 'value', limit: 5 }),
      executedQueryString: '/api/v3/weights?x',
      rowLinks: [link],
    });
    expect(frame.fields.map((f) => f.name)).toEqual(['node', 'context', 'instance', 'dimension', 'score', 'units']);
    const scores = frame.fields[4].values as number[];
    expect(scores).toHaveLength(5);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const all = answer.rows.map((x) => x.score).sort((a, b) => b - a);
    expect(scores).toEqual(all.slice(0, 5));
    expect(frame.fields[0].config?.links).toEqual([link]);
    expect(frame.meta?.notices?.[0].text).toBe(
      `Showing the 5 most changed of ${answer.rows.length} scored dimensions (limit 5)`
    );
  });

  it('says so when nothing was scored', () => {
    const frame = correlationsFrame(
      { rows: [], ranked: false, examined: 12 },
      { refId: 'A', query: model(), executedQueryString: '' }
    );
    expect(frame.fields[0].values).toEqual([]);
    expect(frame.meta?.notices?.[0]).toEqual({
      severity: 'info',
      text: 'Netdata scored nothing for contexts "*" by ks2 (12 dimensions examined): no metric matched or none changed',
    });
  });

  it('refuses a grouped answer', () => {
    expect(parseWeights({ result: [{ id: 'x', v: [] }] }, 'ks2')).toEqual({
      ok: false,
      error: 'the answer has results but no dictionaries (not the multinode "full" format)',
    });
  });
});
