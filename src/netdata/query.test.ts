/** @jest-environment node */
import { migrateQuery } from './migrate';
import { DEFAULT_QUERY, MAX_ARRAY_LENGTH, MAX_LIMIT, MAX_STRING_LENGTH, parseQuery } from './query';
import type { NetdataQueryModel } from './types';

function ok(raw: unknown): NetdataQueryModel {
  const r = parseQuery(raw);
  if (!r.ok) {
    throw new Error(`expected ok, got: ${r.error}`);
  }
  return r.value;
}

function err(raw: unknown): string {
  const r = parseQuery(raw);
  if (r.ok) {
    throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  }
  return r.error;
}

describe('parseQuery', () => {
  it('fills defaults and ignores Grafana keys', () => {
    const q = ok({
      refId: 'A',
      datasource: { type: 'seed-netdata-datasource', uid: 'x' },
      intervalMs: 1000,
      maxDataPoints: 500,
      hide: false,
      context: 'system.cpu',
    });
    expect(q).toEqual({ ...DEFAULT_QUERY, context: 'system.cpu' });
    expect(q).not.toHaveProperty('refId');
    expect(q.groupBy).toEqual(['dimension']);
    expect(q.aggregation).toBe('avg');
    expect(q.timeGroup).toBe('average');
  });

  it('does not share default arrays between results', () => {
    const a = ok({ context: 'a' });
    a.groupBy.push('node');
    expect(ok({ context: 'b' }).groupBy).toEqual(['dimension']);
    expect(DEFAULT_QUERY.groupBy).toEqual(['dimension']);
  });

  it.each([null, 'system.cpu', 3, [], true])('rejects a non-object query %p', (raw) => {
    expect(err(raw)).toBe('query must be a JSON object');
  });

  describe('context', () => {
    it.each([undefined, '', '   ', 42, null])('must be a non-empty string (%p)', (context) => {
      expect(err({ context })).toBe('query.context must be a non-empty string');
    });

    it('rejects control characters', () => {
      expect(err({ context: 'system.cpu\n' })).toMatch(/query\.context must not contain control characters/);
      expect(err({ context: 'sys\ttem.cpu' })).toMatch(/control characters/);
    });

    it('rejects huge strings and &', () => {
      expect(err({ context: 'a'.repeat(MAX_STRING_LENGTH + 1) })).toMatch(/query\.context is too long/);
      expect(err({ context: 'a&b' })).toMatch(/query\.context contains '&'/);
    });

    it('trims items of a context pattern', () => {
      expect(ok({ context: '  system.cpu | system.load ' }).context).toBe('system.cpu|system.load');
    });
  });

  describe('selectors', () => {
    it('normalises nodes, instances and dimensions into pattern items', () => {
      const q = ok({
        context: 'c',
        nodes: [' web01 ', '!db*', '*'],
        instances: ['disk.vda'],
        dimensions: ['user,system', 'eth0|1'],
      });
      expect(q.nodes).toEqual(['web01', '!db*', '*']);
      expect(q.instances).toEqual(['disk.vda']);
      // One entry is one name or pattern: `,` and `|` inside it are part of the name (netdata-api-extra.md §8.3).
      expect(q.dimensions).toEqual(['user,system', 'eth0|1']);
    });

    it('strips control characters from items', () => {
      expect(ok({ context: 'c', dimensions: ['us\ter', 'x\n'] }).dimensions).toEqual(['user', 'x']);
    });

    it('treats null as empty', () => {
      expect(ok({ context: 'c', nodes: null }).nodes).toEqual([]);
    });

    it('names the field and the index of a wrong item', () => {
      expect(err({ context: 'c', nodes: 42 })).toBe('query.nodes must be an array');
      expect(err({ context: 'c', dimensions: ['user', 3] })).toBe('query.dimensions[1] must be a string');
      expect(err({ context: 'c', instances: ['a&b'] })).toMatch(/^query\.instances\[0\] contains '&'/);
    });

    it('rejects huge arrays and strings', () => {
      const many = Array.from({ length: MAX_ARRAY_LENGTH + 1 }, (_, i) => `n${i}`);
      expect(err({ context: 'c', nodes: many })).toMatch(/query\.nodes has too many items \(1001; at most 1000\)/);
      expect(err({ context: 'c', dimensions: ['x'.repeat(5000)] })).toMatch(/query\.dimensions\[0\] is too long/);
    });
  });

  describe('labels', () => {
    it('accepts {key, value} objects and key:value strings, trimmed', () => {
      const q = ok({ context: 'c', labels: [{ key: ' device ', value: ' vda ' }, 'mount_point:/'] });
      expect(q.labels).toEqual([
        { key: 'device', value: 'vda' },
        { key: 'mount_point', value: '/' },
      ]);
    });

    it('drops an empty editor row', () => {
      expect(ok({ context: 'c', labels: [{ key: '', value: '' }, {}] }).labels).toEqual([]);
    });

    it('explains Netdata label semantics for wildcards, negation and separators', () => {
      expect(err({ context: 'c', labels: [{ key: 'device', value: 'v*' }] })).toMatch(
        /^query\.labels\[0\] \("device:v\*"\) has '\*' in its value; Netdata label filters are exact key:value matches/
      );
      expect(err({ context: 'c', labels: [{ key: 'a:b', value: 'x' }] })).toMatch(/':' in its key/);
      expect(err({ context: 'c', labels: [{ key: '!device', value: 'x' }] })).toMatch(/'!' in its key/);
      // Pattern characters other than `*` are escaped when sent, so they are part of the value.
      expect(ok({ context: 'c', labels: [{ key: 'device', value: 'vda|zram0' }] }).labels).toEqual([
        { key: 'device', value: 'vda|zram0' },
      ]);
      expect(ok({ context: 'c', labels: [{ key: 'device', value: '!vda' }] }).labels).toEqual([
        { key: 'device', value: '!vda' },
      ]);
    });

    it('rejects wrong shapes', () => {
      expect(err({ context: 'c', labels: ['novalue'] })).toMatch(/query\.labels\[0\] must be an object/);
      expect(err({ context: 'c', labels: [5] })).toMatch(/query\.labels\[0\] must be an object/);
      expect(err({ context: 'c', labels: [{ key: 1, value: 'x' }] })).toMatch(/must be strings/);
      expect(err({ context: 'c', labels: [{ key: 'device', value: '' }] })).toMatch(/empty value/);
    });
  });

  describe('groupBy', () => {
    it('accepts the Netdata words and removes duplicates', () => {
      expect(ok({ context: 'c', groupBy: ['node', 'dimension', 'node'] }).groupBy).toEqual(['node', 'dimension']);
      expect(ok({ context: 'c', groupBy: 'node,instance' }).groupBy).toEqual(['node', 'instance']);
      expect(ok({ context: 'c', groupBy: [] }).groupBy).toEqual(['dimension']);
    });

    it('rejects unknown words, listing the valid ones', () => {
      expect(err({ context: 'c', groupBy: ['bogus'] })).toMatch(
        /^query\.groupBy\[0\] \("bogus"\) is not a Netdata group-by word; use one of dimension, instance, node/
      );
    });

    it('reads the legacy word chart as instance', () => {
      expect(ok({ context: 'c', groupBy: ['chart', 'node'] }).groupBy).toEqual(['instance', 'node']);
    });

    it.each(['selected', 'percentage-of-instance'])('refuses to combine %s with other words', (word) => {
      const e = err({ context: 'c', groupBy: [word, 'node'] });
      expect(e).toContain(`"${word}" cannot be combined with other group-by words (node)`);
      expect(ok({ context: 'c', groupBy: [word] }).groupBy).toEqual([word]);
    });

    it('requires label keys for label', () => {
      expect(err({ context: 'c', groupBy: ['label'] })).toMatch(/groupByLabels is empty/);
    });

    it('adds label when label keys are given', () => {
      expect(ok({ context: 'c', groupByLabels: ['device'] }).groupBy).toEqual(['label']);
      expect(ok({ context: 'c', groupBy: ['node'], groupByLabels: ['device', 'device'] })).toMatchObject({
        groupBy: ['node', 'label'],
        groupByLabels: ['device'],
      });
      expect(err({ context: 'c', groupBy: ['selected'], groupByLabels: ['device'] })).toMatch(
        /clear query\.groupByLabels/
      );
    });

    it('limits label keys to plain keys, at most 10', () => {
      expect(err({ context: 'c', groupByLabels: ['dev*'] })).toMatch(/query\.groupByLabels\[0\]/);
      const keys = Array.from({ length: 11 }, (_, i) => `k${i}`);
      expect(err({ context: 'c', groupByLabels: keys })).toMatch(/at most 10/);
    });
  });

  describe('aggregation', () => {
    it.each([
      ['avg', 'avg'],
      ['average', 'avg'],
      ['AVERAGE', 'avg'],
      ['sum', 'sum'],
      ['min', 'min'],
      ['max', 'max'],
      ['percentage', 'percentage'],
      ['extremes', 'extremes'],
      ['', 'avg'],
    ])('%p → %p', (input, expected) => {
      expect(ok({ context: 'c', aggregation: input }).aggregation).toBe(expected);
    });

    it('rejects unknown words (Netdata would silently average)', () => {
      expect(err({ context: 'c', aggregation: 'mean' })).toMatch(/^query\.aggregation \("mean"\) must be one of/);
      expect(err({ context: 'c', aggregation: 3 })).toBe('query.aggregation must be a string');
    });
  });

  describe('timeGroup', () => {
    it.each([
      ['avg', 'average', undefined],
      ['mean', 'average', undefined],
      ['incremental_sum', 'incremental-sum', undefined],
      ['rsd', 'cv', undefined],
      ['coefficient-of-variation', 'cv', undefined],
      ['ema', 'ses', undefined],
      ['ewma', 'ses', undefined],
      ['percentile95', 'percentile', '95'],
      ['percentile', 'percentile', undefined],
      ['trimmed-mean5', 'trimmed-mean', '5'],
      ['trimmed-median10', 'trimmed-median', '10'],
      ['median', 'median', undefined],
    ])('%p → %p with option %p', (input, timeGroup, option) => {
      const q = ok({ context: 'c', timeGroup: input });
      expect(q.timeGroup).toBe(timeGroup);
      expect(q.timeGroupOptions).toBe(option);
    });

    it('lets an explicit option override the number in the name', () => {
      expect(ok({ context: 'c', timeGroup: 'percentile50', timeGroupOptions: '99' }).timeGroupOptions).toBe('99');
      expect(ok({ context: 'c', timeGroup: 'percentile', timeGroupOptions: 42 }).timeGroupOptions).toBe('42');
    });

    it('validates percent options', () => {
      expect(err({ context: 'c', timeGroup: 'percentile', timeGroupOptions: '150' })).toMatch(
        /^query\.timeGroupOptions \("150"\) must be a percent above 0 and at most 100 for percentile$/
      );
      // Netdata trims at most 50 % from each end.
      expect(err({ context: 'c', timeGroup: 'trimmed-mean', timeGroupOptions: '60' })).toMatch(/at most 50/);
      expect(err({ context: 'c', timeGroup: 'trimmed-median60' })).toMatch(/at most 50/);
      expect(ok({ context: 'c', timeGroup: 'trimmed-median', timeGroupOptions: '50' }).timeGroupOptions).toBe('50');
      expect(ok({ context: 'c', timeGroup: 'percentile', timeGroupOptions: '99.9' }).timeGroupOptions).toBe('99.9');
      expect(err({ context: 'c', timeGroup: 'trimmed-mean', timeGroupOptions: 'x' })).toMatch(
        /query\.timeGroupOptions/
      );
    });

    it('always gives countif an operator', () => {
      expect(ok({ context: 'c', timeGroup: 'countif', timeGroupOptions: '10' }).timeGroupOptions).toBe('=10');
      expect(ok({ context: 'c', timeGroup: 'countif', timeGroupOptions: 0 }).timeGroupOptions).toBe('=0');
      expect(ok({ context: 'c', timeGroup: 'countif', timeGroupOptions: ' >= 5 ' }).timeGroupOptions).toBe('>=5');
      expect(ok({ context: 'c', timeGroup: 'countif', timeGroupOptions: '!=0' }).timeGroupOptions).toBe('!=0');
      expect(ok({ context: 'c', timeGroup: 'countif' }).timeGroupOptions).toBeUndefined();
      expect(err({ context: 'c', timeGroup: 'countif', timeGroupOptions: 'big' })).toMatch(/countif condition/);
    });

    it('drops an option the time group does not take', () => {
      expect(ok({ context: 'c', timeGroup: 'average', timeGroupOptions: '95' }).timeGroupOptions).toBeUndefined();
    });

    it('rejects unknown time groups', () => {
      expect(err({ context: 'c', timeGroup: 'latest' })).toMatch(
        /^query\.timeGroup \("latest"\) is not a Netdata time group/
      );
      expect(err({ context: 'c', timeGroup: 'percentile95x' })).toMatch(/query\.timeGroup/);
    });
  });

  describe('tier', () => {
    it.each([
      [0, 0],
      [2, 2],
      ['1', 1],
      [undefined, undefined],
      [null, undefined],
      ['', undefined],
    ])('%p → %p', (tier, expected) => {
      expect(ok({ context: 'c', tier }).tier).toBe(expected);
    });

    it.each([-1, 1.5, 'x', true])('rejects %p', (tier) => {
      expect(err({ context: 'c', tier })).toMatch(/^query\.tier must be a non-negative integer/);
    });
  });

  it('keeps legendFormat, spaceId and roomId', () => {
    const q = ok({ context: 'c', legendFormat: '{{dimension}}', spaceId: ' s1 ', roomId: 'r1' });
    expect(q).toMatchObject({ legendFormat: '{{dimension}}', spaceId: 's1', roomId: 'r1' });
    expect(ok({ context: 'c', legendFormat: '', spaceId: '' })).not.toHaveProperty('spaceId');
    expect(err({ context: 'c', legendFormat: 3 })).toBe('query.legendFormat must be a string');
  });

  describe('anomalyRate, nonZero, percentage', () => {
    it.each(['anomalyRate', 'nonZero', 'percentage'])('%s: true is kept, false and absent leave it out', (flag) => {
      expect(ok({ context: 'c', [flag]: true })).toEqual({ ...DEFAULT_QUERY, context: 'c', [flag]: true });
      expect(ok({ context: 'c', [flag]: false })).not.toHaveProperty(flag);
      expect(ok({ context: 'c', [flag]: null })).not.toHaveProperty(flag);
      expect(ok({ context: 'c' })).not.toHaveProperty(flag);
    });

    it.each(['anomalyRate', 'nonZero', 'percentage'])('%s must be a boolean', (flag) => {
      expect(err({ context: 'c', [flag]: 'yes' })).toBe(`query.${flag} must be true or false`);
      expect(err({ context: 'c', [flag]: 1 })).toBe(`query.${flag} must be true or false`);
    });
  });

  describe('limit', () => {
    it.each([
      [5, 5],
      ['12', 12],
      [1, 1],
      [MAX_LIMIT, MAX_LIMIT],
      [0, undefined],
      ['', undefined],
      [null, undefined],
      [undefined, undefined],
    ])('%p → %p', (limit, expected) => {
      expect(ok({ context: 'c', limit }).limit).toBe(expected);
    });

    it.each([-1, 2.5, 'ten', MAX_LIMIT + 1, true])('rejects %p', (limit) => {
      expect(err({ context: 'c', limit })).toMatch(/^query\.limit must be a whole number of series between 1 and/);
    });
  });

  describe('earlier saved shapes (migrateQuery runs first)', () => {
    it("reads a query saved by Netdata's own plugin", () => {
      const q = ok({
        refId: 'A',
        spaceId: 'space-1',
        roomId: 'room-1',
        contextId: 'disk.space',
        nodes: ['a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d'],
        dimensions: ['used'],
        groupBy: ['node', 'mount_point'],
        method: 'sum',
        group: 'avg',
        filterBy: 'filesystem',
        filterValue: 'ext4',
        legend: '{{mount_point}} on {{node}}',
      });
      expect(q).toEqual({
        ...DEFAULT_QUERY,
        context: 'disk.space',
        nodes: ['a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d'],
        dimensions: ['used'],
        labels: [{ key: 'filesystem', value: 'ext4' }],
        groupBy: ['node', 'label'],
        groupByLabels: ['mount_point'],
        aggregation: 'sum',
        timeGroup: 'average',
        legendFormat: '{{mount_point}} on {{node}}',
        spaceId: 'space-1',
        roomId: 'room-1',
      });
    });

    it('reads single-string lists', () => {
      const q = ok({
        context: 'disk.io',
        nodes: 'web01,db01',
        dimensions: 'reads|writes',
        instances: 'disk.vda',
        labels: 'device:vda|device_type:virtual',
        groupBy: 'node instance',
      });
      expect(q).toMatchObject({
        nodes: ['web01', 'db01'],
        dimensions: ['reads', 'writes'],
        instances: ['disk.vda'],
        labels: [
          { key: 'device', value: 'vda' },
          { key: 'device_type', value: 'virtual' },
        ],
        groupBy: ['node', 'instance'],
      });
    });

    it('gives the same model for a saved query and its migrated form', () => {
      const saved = { contextId: 'system.cpu', groupBy: 'node', method: 'max', group: 'median' };
      expect(ok(saved)).toEqual(ok(migrateQuery(saved)));
      expect(ok(saved)).toMatchObject({
        context: 'system.cpu',
        groupBy: ['node'],
        aggregation: 'max',
        timeGroup: 'median',
      });
    });
  });
});
