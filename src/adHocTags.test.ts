// getTagKeys / getTagValues of the dashboard filter bar: looked up in the contexts and nodes the dashboard's metrics
// queries read (Grafana passes its queries in the options), through the catalog's resource routes.
import { MAX_TAG_CONTEXTS, tagKeys, tagValues } from './adHocTags';
import { resourceCatalog } from './catalog';
import type { ResourceParams } from './resources';
import { fakeTemplateSrv } from './testing/fakeTemplateSrv';
import type { NetdataQuery } from './types';

const DETAILS: Record<string, unknown> = {
  'disk.io': {
    id: 'disk.io',
    dimensions: ['reads', 'writes'],
    instances: ['disk_io.sda', 'disk_io.sdb'],
    labels: { device: ['sdb', 'sda'], device_type: ['physical'], _collect_plugin: ['proc'] },
  },
  'net.net': { id: 'net.net', dimensions: ['received', 'sent'], instances: ['net.eth0'], labels: { device: ['eth0'] } },
};

function catalog() {
  const calls: Array<{ route: string; params: ResourceParams }> = [];
  const getResource = async (route: string, params: ResourceParams) => {
    calls.push({ route, params });
    if (route === 'nodes') {
      return {
        nodes: [
          { id: 'mg-2', machineGuid: 'mg-2', hostname: 'web10' },
          { id: 'mg-1', machineGuid: 'mg-1', hostname: 'web2' },
        ],
      };
    }
    const context = DETAILS[String(params.context)];
    if (!context) {
      throw { status: 404, data: { error: 'unknown context' } };
    }
    return { context };
  };
  return {
    calls,
    catalog: resourceCatalog(getResource, fakeTemplateSrv({ n: { current: 'mg-1' } }), { transport: 'agent' }),
  };
}

const texts = (values: Array<{ text: string }>) => values.map((v) => v.text);
const queries = (...q: Array<Partial<NetdataQuery>>) => q.map((x, i) => ({ refId: String(i), ...x }) as NetdataQuery);

describe('tagKeys', () => {
  it("offers node, instance, dimension, then the labels of the dashboard's contexts (Netdata's own last)", async () => {
    const { catalog: c, calls } = catalog();
    const keys = await tagKeys(c, {
      filters: [],
      queries: queries({ context: 'disk.io' }, { context: 'net.net|nope' }),
    });
    expect(texts(keys)).toEqual(['node', 'instance', 'dimension', 'device', 'device_type', '_collect_plugin']);
    // One look-up per plain context; the unknown one offers nothing instead of failing the filter bar.
    expect(calls.map((x) => x.params.context).sort()).toEqual(['disk.io', 'net.net', 'nope']);
  });

  it('skips hidden and non-metrics queries and context patterns, and caps the look-ups', async () => {
    const { catalog: c, calls } = catalog();
    const many = Array.from({ length: MAX_TAG_CONTEXTS + 5 }, (_, i) => ({ context: `app${i}.requests` }));
    await tagKeys(c, {
      filters: [],
      queries: queries({ context: 'disk.*' }, { context: 'net.net', hide: true }, { queryType: 'nodes' }, ...many),
    });
    expect(calls).toHaveLength(MAX_TAG_CONTEXTS);
    expect(calls.some((x) => x.params.context === 'net.net' || x.params.context === 'disk.*')).toBe(false);
  });

  it('scopes look-ups to the nodes only when every query names its nodes ($variables resolved)', async () => {
    const named = catalog();
    await tagKeys(named.catalog, { filters: [], queries: queries({ context: 'disk.io', nodes: ['$n'] }) });
    expect(named.calls[0].params).toEqual({ context: 'disk.io', nodes: ['mg-1'] });
    const mixed = catalog();
    await tagKeys(mixed.catalog, {
      filters: [],
      queries: queries({ context: 'disk.io', nodes: ['mg-1'] }, { context: 'net.net' }),
    });
    expect(mixed.calls.every((x) => x.params.nodes === undefined)).toBe(true);
  });
});

describe('tagValues', () => {
  const scope = { filters: [], queries: queries({ context: 'disk.io' }, { context: 'net.net' }) };

  it('answers label values of every context in scope, sorted, without repeats', async () => {
    const { catalog: c } = catalog();
    expect(texts(await tagValues(c, { ...scope, key: 'device' }))).toEqual(['eth0', 'sda', 'sdb']);
    expect(texts(await tagValues(c, { ...scope, key: 'dimension' }))).toEqual(['reads', 'received', 'sent', 'writes']);
    expect(texts(await tagValues(c, { ...scope, key: 'instance' }))).toEqual([
      'disk_io.sda',
      'disk_io.sdb',
      'net.eth0',
    ]);
    expect(await tagValues(c, { ...scope, key: 'no_such_label' })).toEqual([]);
  });

  it('answers hostnames for node (node patterns match hostnames first), in natural order', async () => {
    const { catalog: c, calls } = catalog();
    expect(texts(await tagValues(c, { ...scope, key: 'node' }))).toEqual(['web2', 'web10']);
    expect(calls.map((x) => x.route)).toEqual(['nodes']);
  });
});
