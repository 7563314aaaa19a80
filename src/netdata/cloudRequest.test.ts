/** @jest-environment node */
import { buildCloudDataRequest, CLOUD_MAX_POINTS, cloudNodes, isUuid, validatePathId } from './cloudRequest';
import { DEFAULT_QUERY, parseQuery } from './query';
import type { NetdataQueryModel, QueryWindow } from './types';

const TARGET = { spaceId: 'space-1', roomId: 'room-1' };
const UUID_A = 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d';
const UUID_B = 'B7C8D9E0-F1A2-4B3C-9D4E-5F6A7B8C9D0E';
// §8.7: 60 s window, 2 points.
const WINDOW: QueryWindow = { fromMs: 1717171140000, toMs: 1717171200000, maxDataPoints: 2, intervalMs: 30000 };

function model(raw: Record<string, unknown>): NetdataQueryModel {
  const r = parseQuery(raw);
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

describe('buildCloudDataRequest', () => {
  it('builds the body of netdata-api.md §8.7', () => {
    const req = buildCloudDataRequest(
      model({ context: 'system.ram', groupBy: ['node'], aggregation: 'sum' }),
      WINDOW,
      TARGET,
      {
        timeoutMs: 10000,
      }
    );
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v3/spaces/space-1/rooms/room-1/data');
    expect(req.body).toEqual({
      scope: { contexts: ['system.ram'] },
      selectors: { contexts: ['*'], nodes: ['*'], instances: ['*'], dimensions: ['*'], labels: ['*'], alerts: ['*'] },
      window: { after: 1717171140, before: 1717171200, points: 2 },
      aggregations: {
        metrics: [{ group_by: ['node'], group_by_label: [], aggregation: 'sum' }],
        time: { time_group: 'average', time_resampling: 0 },
      },
      format: 'json2',
      options: ['jsonwrap', 'minify', 'unaligned', 'ms', 'flip'],
      timeout: 10000,
    });
    // Omitting scope.nodes is how Cloud is told "every node of the room".
    expect(req.body.scope).not.toHaveProperty('nodes');
    expect(JSON.stringify(req.body)).not.toContain('groupBy');
  });

  it('sends the selectors, labels, grouping, time group and tier', () => {
    const req = buildCloudDataRequest(
      model({
        context: 'disk.io',
        nodes: ['web*'],
        instances: ['disk.vda'],
        dimensions: ['!writes'],
        labels: [{ key: 'device', value: 'vda' }],
        groupBy: ['dimension'],
        groupByLabels: ['device'],
        aggregation: 'avg',
        timeGroup: 'countif',
        timeGroupOptions: '5',
      }),
      WINDOW,
      TARGET
    );
    expect(req.body.selectors).toEqual({
      contexts: ['*'],
      nodes: ['web*'],
      instances: ['disk.vda'],
      dimensions: ['!writes', '*'],
      labels: ['device:vda'],
      alerts: ['*'],
    });
    expect(req.body.aggregations.metrics).toEqual([
      { group_by: ['dimension', 'label'], group_by_label: ['device'], aggregation: 'avg' },
    ]);
    expect(req.body.aggregations.time).toEqual({ time_group: 'countif', time_group_options: '=5', time_resampling: 0 });
    expect(req.body.window.tier).toBe(0);
    expect(req.body.timeout).toBe(30000);
  });

  it('sends an explicit tier and splits a context pattern', () => {
    const req = buildCloudDataRequest(model({ context: 'system.cpu|system.load', tier: 1 }), WINDOW, TARGET);
    expect(req.body.window.tier).toBe(1);
    expect(req.body.scope.contexts).toEqual(['system.cpu', 'system.load']);
  });

  describe('nodes', () => {
    it('routes node UUIDs to scope.nodes', () => {
      const req = buildCloudDataRequest(model({ context: 'c', nodes: [UUID_A, UUID_B] }), WINDOW, TARGET);
      expect(req.body.scope.nodes).toEqual([UUID_A, UUID_B]);
      expect(req.body.selectors.nodes).toEqual(['*']);
    });

    it('routes hostnames and patterns to selectors.nodes', () => {
      const req = buildCloudDataRequest(model({ context: 'c', nodes: ['web01', '!db*'] }), WINDOW, TARGET);
      expect(req.body.scope).not.toHaveProperty('nodes');
      expect(req.body.selectors.nodes).toEqual(['web01', '!db*']);
    });

    it('keeps the OR meaning of a mixed list by putting everything in the selectors', () => {
      expect(cloudNodes([UUID_A, 'web01'])).toEqual({ selectors: [UUID_A, 'web01'] });
      expect(cloudNodes([`!${UUID_A}`])).toEqual({ selectors: [`!${UUID_A}`, '*'] });
      expect(cloudNodes([])).toEqual({ selectors: ['*'] });
    });

    it('recognises UUIDs only', () => {
      expect(isUuid(UUID_A)).toBe(true);
      expect(isUuid(UUID_B)).toBe(true);
      expect(isUuid('web01')).toBe(false);
      expect(isUuid(`${UUID_A}*`)).toBe(false);
      expect(isUuid('a3b1e2c45d6f4a7b8c9d0e1f2a3b4c5d')).toBe(false);
    });
  });

  describe('points', () => {
    it(`caps points at ${CLOUD_MAX_POINTS} and keeps the window`, () => {
      const w: QueryWindow = {
        fromMs: 1717171200000,
        toMs: 1717171200000 + 86400_000,
        maxDataPoints: 1500,
        intervalMs: 10_000,
      };
      const req = buildCloudDataRequest(model({ context: 'c' }), w, TARGET);
      expect(req.body.window).toEqual({ after: 1717171200, before: 1717257600, points: 500 });
    });

    it('follows the interval under the cap', () => {
      const w: QueryWindow = {
        fromMs: 1717171200000,
        toMs: 1717171200000 + 3600_000,
        maxDataPoints: 1500,
        intervalMs: 60_000,
      };
      expect(buildCloudDataRequest(model({ context: 'c' }), w, TARGET).body.window.points).toBe(60);
    });
  });

  describe('space and room', () => {
    it('lets the query override the data source space and room', () => {
      const req = buildCloudDataRequest(model({ context: 'c', spaceId: 's2', roomId: 'r2' }), WINDOW, TARGET);
      expect(req.path).toBe('/api/v3/spaces/s2/rooms/r2/data');
    });

    it.each(['', '  ', 'a/b', 'a?b', 'a#b', '..', 'a..b', 'a b', 'a%2Fb', 'a\\b'])('refuses the id %p', (id) => {
      expect(() => validatePathId(id, 'space')).toThrow(/space/);
      expect(() =>
        buildCloudDataRequest({ ...DEFAULT_QUERY, context: 'c' }, WINDOW, { spaceId: 's', roomId: id })
      ).toThrow(/room/);
    });

    it('accepts UUIDs and slugs', () => {
      expect(validatePathId(` ${UUID_A} `, 'room')).toBe(UUID_A);
      expect(validatePathId('my-space_1', 'space')).toBe('my-space_1');
    });
  });

  it('refuses & and bodies too large for the agents Cloud forwards them to', () => {
    expect(() =>
      buildCloudDataRequest({ ...DEFAULT_QUERY, context: 'c', dimensions: ['a&b'] }, WINDOW, TARGET)
    ).toThrow(/'&'/);
    const nodes = Array.from({ length: 1000 }, (_, i) => `node-${i}-${'x'.repeat(60)}`);
    expect(() => buildCloudDataRequest({ ...DEFAULT_QUERY, context: 'c', nodes }, WINDOW, TARGET)).toThrow(/64 KiB/);
  });
});
