/** @jest-environment node */
import { agentFeatures } from './agentFeatures';
import { buildAgentDataRequest, DATA_OPTIONS, MAX_AGENT_URL_BYTES } from './agentRequest';
import { DEFAULT_QUERY, parseQuery } from './query';
import type { NetdataQueryModel, QueryWindow } from './types';

const T0 = 1717171200000; // ms, a multiple of 60 s
const WINDOW: QueryWindow = { fromMs: T0, toMs: T0 + 3600_000, maxDataPoints: 1000, intervalMs: 5000 };

function model(raw: Record<string, unknown>): NetdataQueryModel {
  const r = parseQuery(raw);
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

/** Reads a path the way the agent does (§2.1): decode the whole query string, then split on & and the first =. */
function agentParams(path: string): Map<string, string> {
  const qs = path.slice(path.indexOf('?') + 1);
  const decoded = decodeURIComponent(qs.replace(/\+/g, ' '));
  const params = new Map<string, string>();
  for (const pair of decoded.split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && eq < pair.length - 1) {
      params.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return params;
}

function params(raw: Record<string, unknown>, w: QueryWindow = WINDOW, api: 2 | 3 = 3): Map<string, string> {
  return agentParams(buildAgentDataRequest(model(raw), w, api).path);
}

describe('buildAgentDataRequest', () => {
  it('builds the default query exactly', () => {
    const req = buildAgentDataRequest({ ...DEFAULT_QUERY, context: 'system.cpu' }, WINDOW, 3);
    expect(req.method).toBe('GET');
    expect(req.path).toBe(
      '/api/v3/data?scope_contexts=system.cpu&after=1717171200&before=1717174800&points=720&format=json2' +
        '&options=jsonwrap%2Cflip%2Cms%2Cunaligned%2Cminify&group_by=dimension&aggregation=average' +
        '&time_group=average&timeout=30000'
    );
  });

  it('uses /api/v2/data for api 2', () => {
    expect(buildAgentDataRequest({ ...DEFAULT_QUERY, context: 'c' }, WINDOW, 2).path).toMatch(/^\/api\/v2\/data\?/);
  });

  it('sends every control as its Netdata parameter', () => {
    const p = params({
      context: 'disk.io',
      nodes: ['web01', '!db*'],
      instances: ['disk.vda'],
      dimensions: ['reads'],
      labels: [
        { key: 'device', value: 'vda' },
        { key: 'mount_point', value: '/' },
      ],
      groupBy: ['node', 'label'],
      groupByLabels: ['device', 'device_type'],
      aggregation: 'sum',
      timeGroup: 'percentile95',
      tier: 1,
    });
    expect(Object.fromEntries(p)).toEqual({
      scope_contexts: 'disk.io',
      after: '1717171200',
      before: '1717174800',
      points: '720',
      format: 'json2',
      options: 'jsonwrap,flip,ms,unaligned,minify',
      group_by: 'node,label',
      group_by_label: 'device,device_type',
      aggregation: 'sum',
      time_group: 'percentile',
      time_group_options: '95',
      tier: '1',
      timeout: '30000',
      scope_nodes: 'web01|!db*',
      instances: 'disk.vda',
      dimensions: 'reads',
      labels: 'device:vda|mount_point:/',
    });
  });

  it('sends only options every v2 agent knows', () => {
    expect(DATA_OPTIONS).toEqual(['jsonwrap', 'flip', 'ms', 'unaligned', 'minify']);
  });

  it('omits empty selectors and ends negative-only lists with *', () => {
    const p = params({ context: 'system.cpu', dimensions: ['!idle'], nodes: ['*'] });
    expect(p.get('dimensions')).toBe('!idle|*');
    expect(p.has('scope_nodes')).toBe(false);
    expect(p.has('instances')).toBe(false);
    expect(p.has('labels')).toBe(false);
    expect(p.has('group_by_label')).toBe(false);
    expect(p.has('time_group_options')).toBe(false);
    expect(p.has('tier')).toBe(false);
  });

  describe('escaping', () => {
    it.each([
      ['a b', 'a%20b', 'a b'],
      ['50%', '50%25', '50%'],
      ['a+b', 'a%2Bb', 'a+b'],
      ['user|system', 'user%5C%7Csystem', 'user\\|system'],
      ['eth0,1', 'eth0%5C%2C1', 'eth0\\,1'],
      ['C:\\', 'C%3A%5C%5C', 'C:\\\\'],
      ['\\!bang', '%5C!bang', '\\!bang'],
      ['!idle', '!idle%7C*', '!idle|*'],
      ['reserved for root', 'reserved%20for%20root', 'reserved for root'],
      ['x=y', 'x%3Dy', 'x=y'],
      ['é', '%C3%A9', 'é'],
    ])('dimension %p is sent as %p and read by the agent as %p', (dimension, encoded, decoded) => {
      const req = buildAgentDataRequest(model({ context: 'c', dimensions: [dimension] }), WINDOW, 3);
      expect(req.path).toContain(`&dimensions=${encoded}`);
      expect(agentParams(req.path).get('dimensions')).toBe(decoded);
    });

    it('strips tab and newline (an encoded one would cut the URL at the agent)', () => {
      const q: NetdataQueryModel = { ...DEFAULT_QUERY, context: 'c', dimensions: ['us\ter\n'], nodes: ['web\r01'] };
      const req = buildAgentDataRequest(q, WINDOW, 3);
      expect(req.path).not.toMatch(/%0[9AD]/i);
      expect(agentParams(req.path).get('dimensions')).toBe('user');
      expect(agentParams(req.path).get('scope_nodes')).toBe('web01');
    });

    it('refuses & that the agent would take as a separator', () => {
      const q: NetdataQueryModel = { ...DEFAULT_QUERY, context: 'c', instances: ['a&b'] };
      expect(() => buildAgentDataRequest(q, WINDOW, 3)).toThrow(/'&'/);
    });

    it('keeps every parameter after a hostile value', () => {
      const q: NetdataQueryModel = { ...DEFAULT_QUERY, context: 'c', nodes: ['x%26after=1', 'y%09'] };
      const p = agentParams(buildAgentDataRequest(q, WINDOW, 3).path);
      expect(p.get('after')).toBe('1717171200');
      expect(p.get('scope_nodes')).toBe('x%26after=1|y%09');
    });
  });

  describe('window and points', () => {
    it('sends absolute epoch seconds: after floored, before ceiled', () => {
      const p = params({ context: 'c' }, { fromMs: T0 + 999, toMs: T0 + 60_001, maxDataPoints: 100, intervalMs: 1000 });
      expect(p.get('after')).toBe('1717171200');
      expect(p.get('before')).toBe('1717171261');
      expect(p.get('points')).toBe('62');
    });

    it.each([
      // range s, maxDataPoints, intervalMs, points (Netdata includes both ends: a 60 s range spans 61 seconds)
      [3600, 1000, 5000, 720],
      [3600, 100, 5000, 100],
      [3600, 1000, 500, 1000],
      [60, 1000, 0, 61],
      [60, 1000, 7000, 8],
      [86400 * 30, 2000, 1296000000, 2],
      [5, 0, 1000, 6],
      [1, 1000, 60000, 1],
    ])('%p s at maxDataPoints %p and interval %p ms → %p points', (range, maxDataPoints, intervalMs, points) => {
      const p = params({ context: 'c' }, { fromMs: T0, toMs: T0 + range * 1000, maxDataPoints, intervalMs });
      expect(Number(p.get('points'))).toBe(points);
    });

    it('never asks for more than 86400 points', () => {
      const p = params(
        { context: 'c' },
        { fromMs: T0, toMs: T0 + 86400 * 7 * 1000, maxDataPoints: 1e9, intervalMs: 1 }
      );
      expect(p.get('points')).toBe('86400');
    });

    it('gives a zero-length range one second', () => {
      const p = params({ context: 'c' }, { fromMs: T0, toMs: T0, maxDataPoints: 100, intervalMs: 1000 });
      expect(p.get('before')).toBe(String(T0 / 1000 + 1));
      expect(p.get('points')).toBe('2');
    });

    it('refuses ranges Netdata would read as relative or reversed', () => {
      const q = model({ context: 'c' });
      expect(() => buildAgentDataRequest(q, { ...WINDOW, fromMs: 0, toMs: 60_000 }, 3)).toThrow(/after 1973/);
      expect(() => buildAgentDataRequest(q, { ...WINDOW, fromMs: T0, toMs: T0 - 5000 }, 3)).toThrow(/ends before/);
      expect(() => buildAgentDataRequest(q, { ...WINDOW, fromMs: NaN }, 3)).toThrow(/not a valid/);
    });
  });

  describe('time groups and tiers', () => {
    it.each([
      'median',
      'percentile',
      'trimmed-mean',
      'trimmed-median',
      'stddev',
      'cv',
      'ses',
      'des',
      'countif',
      'extremes',
      'incremental-sum',
    ])('pins %s to tier 0 unless a tier is given', (timeGroup) => {
      expect(params({ context: 'c', timeGroup }).get('tier')).toBe('0');
      expect(params({ context: 'c', timeGroup, tier: 2 }).get('tier')).toBe('2');
    });

    it.each(['average', 'min', 'max', 'sum'])('lets Netdata choose the tier for %s', (timeGroup) => {
      expect(params({ context: 'c', timeGroup }).has('tier')).toBe(false);
    });

    it('always sends the countif operator', () => {
      expect(params({ context: 'c', timeGroup: 'countif', timeGroupOptions: '10' }).get('time_group_options')).toBe(
        '=10'
      );
      expect(params({ context: 'c', timeGroup: 'countif', timeGroupOptions: '>0' }).get('time_group_options')).toBe(
        '>0'
      );
      // A model that did not go through parseQuery is fixed too.
      const raw: NetdataQueryModel = { ...DEFAULT_QUERY, context: 'c', timeGroup: 'countif', timeGroupOptions: '75' };
      expect(agentParams(buildAgentDataRequest(raw, WINDOW, 3).path).get('time_group_options')).toBe('=75');
      expect(buildAgentDataRequest(raw, WINDOW, 3).path).toContain('time_group_options=%3D75');
    });

    it('sends trimmed-mean with its percent', () => {
      const p = params({ context: 'c', timeGroup: 'trimmed-mean5' });
      expect(p.get('time_group')).toBe('trimmed-mean');
      expect(p.get('time_group_options')).toBe('5');
    });
  });

  describe('grouping', () => {
    it('sends aggregation avg as average and keeps the others', () => {
      expect(params({ context: 'c', aggregation: 'avg' }).get('aggregation')).toBe('average');
      expect(params({ context: 'c', aggregation: 'percentage' }).get('aggregation')).toBe('percentage');
    });

    it('sends group_by=label with the label keys only', () => {
      const p = params({ context: 'disk.io', groupByLabels: ['device'] });
      expect(p.get('group_by')).toBe('label');
      expect(p.get('group_by_label')).toBe('device');
    });

    it('never sends label without keys (Netdata would fall back to dimension with absolute values)', () => {
      const q: NetdataQueryModel = { ...DEFAULT_QUERY, context: 'c', groupBy: ['node', 'label'], groupByLabels: [] };
      const p = agentParams(buildAgentDataRequest(q, WINDOW, 3).path);
      expect(p.get('group_by')).toBe('node');
      expect(p.has('group_by_label')).toBe(false);
    });
  });

  describe('timeout', () => {
    it('defaults to 30 s and follows the option', () => {
      const q = model({ context: 'c' });
      expect(agentParams(buildAgentDataRequest(q, WINDOW, 3, { timeoutMs: 5000 }).path).get('timeout')).toBe('5000');
      expect(agentParams(buildAgentDataRequest(q, WINDOW, 3, { timeoutMs: 0 }).path).has('timeout')).toBe(false);
      expect(agentParams(buildAgentDataRequest(q, WINDOW, 3, {}).path).get('timeout')).toBe('30000');
    });
  });

  it('fails clearly instead of sending a URL the agent would cut', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => `node-${i}-${'x'.repeat(60)}`);
    const q: NetdataQueryModel = { ...DEFAULT_QUERY, context: 'c', nodes };
    expect(() => buildAgentDataRequest(q, WINDOW, 3)).toThrow(/KiB long; Netdata agents cut URLs at 64 KiB/);
    const fewer: NetdataQueryModel = { ...q, nodes: nodes.slice(0, 100) };
    expect(buildAgentDataRequest(fewer, WINDOW, 3).path.length).toBeLessThan(MAX_AGENT_URL_BYTES);
  });

  it('refuses a model without context', () => {
    expect(() => buildAgentDataRequest({ ...DEFAULT_QUERY, context: ' ' }, WINDOW, 3)).toThrow(/no context/);
  });
});

describe('what the agent version changes (netdata-api.md §2.6, netdata-api-extra.md §8.4)', () => {
  const build = (raw: Record<string, unknown>, version: string) =>
    agentParams(buildAgentDataRequest(model(raw), WINDOW, 3, { features: agentFeatures(version) }).path);

  it.each([
    ['v2.11.0', 'limit', '5'],
    ['v2.9.0', 'cardinality_limit', '6'],
    ['v2.6.0', 'cardinality_limit', '6'],
    ['', 'cardinality_limit', '6'],
  ])('Netdata %p reads the series limit 5 as %p=%p', (version, param, value) => {
    const p = build({ context: 'c', limit: 5 }, version);
    expect(p.get(param)).toBe(value);
    expect(p.has(param === 'limit' ? 'cardinality_limit' : 'limit')).toBe(false);
  });

  it('sends no limit to agents before v2.6, which have none', () => {
    const p = build({ context: 'c', limit: 5 }, 'v1.47.5');
    expect(p.has('limit') || p.has('cardinality_limit')).toBe(false);
  });

  it('escapes label items twice from v1.45 (parsed twice), once before', () => {
    const labels = [{ key: 'device', value: 'eth0|1' }];
    expect(build({ context: 'c', labels }, 'v2.9.0').get('labels')).toBe('device:eth0\\\\\\|1');
    expect(build({ context: 'c', labels }, 'v1.44.0').get('labels')).toBe('device:eth0\\|1');
  });

  it('refuses label filters on different keys before v1.45 (it would OR them)', () => {
    const labels = [
      { key: 'device', value: 'sda' },
      { key: 'mount_point', value: '/' },
    ];
    expect(() => build({ context: 'c', labels }, 'v1.44.0')).toThrow(/must all hold, but Netdata before v1\.45/);
    expect(build({ context: 'c', labels }, 'v1.45.0').get('labels')).toBe('device:sda|mount_point:/');
  });
});
