// Explore's filter actions on a metrics query, as Grafana calls them: modifyQuery from a legend's or a table cell's
// "filter for / filter out value" (ADD_FILTER / ADD_FILTER_OUT with the series label or the field's key), and
// toggleQueryFilter / queryHasFilter from log details and table cells.
import { DataSourceInstanceSettings } from '@grafana/data';

import { DataSource } from '../../datasource';
import { parseQuery } from '../../netdata/query';
import { fakeTemplateSrv } from '../../testing/fakeTemplateSrv';
import type { NetdataOptions, NetdataQuery } from '../../types';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => fakeTemplateSrv(),
}));

const ds = new DataSource({ uid: 'u', jsonData: {}, meta: {} } as DataSourceInstanceSettings<NetdataOptions>);
const base: NetdataQuery = { refId: 'A', context: 'disk.io', groupBy: ['instance'] };
const add = (query: NetdataQuery, key: string, value: string, type = 'ADD_FILTER') =>
  ds.modifyQuery(query, { type, options: { key, value } });

describe('modifyQuery', () => {
  it('offers filter for and filter out', () => {
    expect(ds.getSupportedQueryModifications()).toEqual(['ADD_FILTER', 'ADD_FILTER_OUT']);
  });

  it('filters for a label value from a legend; another value of that key is the clicked series, another key ANDs', () => {
    const once = add(base, 'device', 'sda');
    expect(once.labels).toEqual([{ key: 'device', value: 'sda' }]);
    // The query selected sda only, so sdb can only mean "this series instead".
    expect(add(once, 'device', 'sdb').labels).toEqual([{ key: 'device', value: 'sdb' }]);
    expect(add(once, 'device_type', 'physical').labels).toEqual([
      { key: 'device', value: 'sda' },
      { key: 'device_type', value: 'physical' },
    ]);
  });

  it('filters a node, instance or dimension cell of a table in or out through the selectors', () => {
    expect(add(base, 'node', 'web1').nodes).toEqual(['web1']);
    expect(add(base, 'instance', 'disk_io.sda', 'ADD_FILTER_OUT').instances).toEqual(['!disk_io.sda', '*']);
    expect(add({ ...base, dimensions: ['reads', 'writes'] }, 'dimension', 'writes').dimensions).toEqual(['writes']);
    // A node the query names by id while the cell shows the hostname: the clicked series wins.
    expect(add({ ...base, nodes: ['mg-1'] }, 'node', 'web1').nodes).toEqual(['web1']);
  });

  it('keeps a label filter-out as an exclude row that the backend refuses with the reason, not as its opposite', () => {
    const out = add(base, 'device', 'sda', 'ADD_FILTER_OUT');
    expect(out.labels).toEqual([{ key: 'device', value: 'sda', exclude: true }]);
    const parsed = parseQuery(out);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/device != sda\) is a filter-out: Netdata cannot exclude by label/);
    // A `!` in a label value is a literal `!` (issue 11 rule 5), not the marker: that row is a plain filter.
    expect(parseQuery({ ...base, labels: [{ key: 'device', value: '!sda' }] }).ok).toBe(true);
    expect(ds.queryHasFilter(out, { key: 'device', value: 'sda', operator: '!=' })).toBe(true);
    expect(
      ds.queryHasFilter(
        { ...base, labels: [{ key: 'device', value: 'sda' }] },
        { key: 'device', value: 'sda', operator: '!=' }
      )
    ).toBe(false);
  });

  it('switches the context from a context cell, and ignores labels that select nothing', () => {
    expect(add({ ...base, dimensions: ['reads'] }, 'context', 'disk.ops')).toMatchObject({
      context: 'disk.ops',
      dimensions: [],
      labels: [],
    });
    expect(add(base, 'units', 'KiB/s')).toBe(base);
    expect(ds.modifyQuery(base, { type: 'ADD_GROUP_BY', options: { key: 'device', value: 'sda' } })).toBe(base);
    // Other query types are left as they are.
    const nodes: NetdataQuery = { refId: 'N', queryType: 'nodes' };
    expect(add(nodes, 'node', 'web1')).toBe(nodes);
  });
});

describe('toggleQueryFilter / queryHasFilter', () => {
  const toggle = (query: NetdataQuery, type: 'FILTER_FOR' | 'FILTER_OUT', key: string, value: string) =>
    ds.toggleQueryFilter(query, { type, options: { key, value } });

  it('adds a filter, and the same click again removes it', () => {
    const on = toggle(base, 'FILTER_FOR', 'device', 'sda');
    expect(ds.queryHasFilter(on, { key: 'device', value: 'sda' })).toBe(true);
    const off = toggle(on, 'FILTER_FOR', 'device', 'sda');
    expect(off.labels).toEqual([]);
    expect(ds.queryHasFilter(off, { key: 'device', value: 'sda' })).toBe(false);
  });

  it('replaces the opposite filter instead of holding both', () => {
    const out = toggle(base, 'FILTER_OUT', 'node', 'db1');
    expect(out.nodes).toEqual(['!db1', '*']);
    expect(ds.queryHasFilter(out, { key: 'node', value: 'db1', operator: '!=' })).toBe(true);
    const into = toggle(out, 'FILTER_FOR', 'node', 'db1');
    expect(into.nodes).toEqual(['db1']);
    expect(ds.queryHasFilter(into, { key: 'node', value: 'db1', operator: '!=' })).toBe(false);
    // A label filter-out row toggles off too.
    const labelOut = toggle(base, 'FILTER_OUT', 'device', 'sda');
    expect(toggle(labelOut, 'FILTER_OUT', 'device', 'sda').labels).toEqual([]);
  });
});
