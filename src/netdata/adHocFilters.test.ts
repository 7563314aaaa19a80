/** @jest-environment node */
import { AdHocFilter, AdHocSelection, applyAdHocFilters, removeFilter, selectionHasFilter } from './adHocFilters';
import { buildAgentDataRequest } from './agentRequest';
import { buildCloudDataRequest } from './cloudRequest';
import { DEFAULT_QUERY } from './query';
import type { QueryWindow } from './types';

const NONE: AdHocSelection = { nodes: [], instances: [], dimensions: [], labels: [] };
const f = (key: string, operator: string, value: string, values?: string[]): AdHocFilter => ({
  key,
  operator,
  value,
  values,
});

function applied(selection: Partial<AdHocSelection>, filters: AdHocFilter[]): AdHocSelection {
  const r = applyAdHocFilters({ ...NONE, ...selection }, filters);
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

function refused(selection: Partial<AdHocSelection>, filters: AdHocFilter[]): string {
  const r = applyAdHocFilters({ ...NONE, ...selection }, filters);
  if (r.ok) {
    throw new Error(`expected a refusal, got ${JSON.stringify(r.value)}`);
  }
  return r.error;
}

const WINDOW: QueryWindow = { fromMs: 1717171200000, toMs: 1717174800000, maxDataPoints: 100, intervalMs: 36000 };

describe('applyAdHocFilters: labels', () => {
  it('adds label filters; the same key OR-ed, different keys AND-ed (as Netdata reads them)', () => {
    expect(applied({}, [f('device', '=', 'sda'), f('device', '=', 'sdb'), f('mount_point', '=', '/')]).labels).toEqual([
      { key: 'device', value: 'sda' },
      { key: 'device', value: 'sdb' },
      { key: 'mount_point', value: '/' },
    ]);
  });

  it("narrows the query's own values of that key instead of widening them", () => {
    const labels = [
      { key: 'device', value: 'sda' },
      { key: 'device', value: 'sdb' },
      { key: 'device_type', value: 'physical' },
    ];
    expect(applied({ labels }, [f('device', '=', 'sdb')]).labels).toEqual([
      { key: 'device_type', value: 'physical' },
      { key: 'device', value: 'sdb' },
    ]);
    expect(refused({ labels }, [f('device', '=', 'nvme0')])).toMatch(
      /device = nvme0 selects none of this query's own device label values \(sda, sdb\)/
    );
  });

  it('takes the multi-value operator =| as alternatives', () => {
    expect(applied({}, [f('device', '=|', '', ['sda', 'sdb'])]).labels).toEqual([
      { key: 'device', value: 'sda' },
      { key: 'device', value: 'sdb' },
    ]);
  });

  it('refuses != on a label, saying why (Netdata drops the !, selecting the opposite)', () => {
    expect(refused({}, [f('device', '!=', 'sda')])).toMatch(
      /device != sda: Netdata cannot exclude by label.*a leading '!' is ignored, so it would select device=sda/
    );
  });

  it('refuses values Netdata would read as patterns, and regex operators', () => {
    expect(refused({}, [f('device', '=', 'sd*')])).toMatch(/'\*' in its value/);
    expect(refused({}, [f('device', '=~', 'sd.*')])).toMatch(/only = and != can be applied \(and only = to labels\)/);
    expect(refused({}, [f('node', '<', '3')])).toMatch(/only = and != can be applied$/);
  });
});

describe('applyAdHocFilters: node, instance and dimension', () => {
  it('= selects those names when the query selects all', () => {
    expect(applied({}, [f('node', '=', 'web1'), f('node', '=', 'web2'), f('dimension', '=', 'user')])).toEqual({
      ...NONE,
      nodes: ['web1', 'web2'],
      dimensions: ['user'],
    });
  });

  it("= narrows the query's own selection, patterns included", () => {
    expect(applied({ instances: ['disk.sd*'] }, [f('instance', '=', 'disk.sda')]).instances).toEqual(['disk.sda']);
    expect(applied({ dimensions: ['!idle', '*'] }, [f('dimension', '=|', '', ['idle', 'user'])]).dimensions).toEqual([
      'user',
    ]);
    expect(refused({ nodes: ['mg-1'] }, [f('node', '=', 'web1')])).toMatch(
      /node = web1 selects none of this query's nodes \(mg-1\); the query may name its nodes by id/
    );
  });

  it('!= puts the exclusion first, so it holds whatever the query selects (first match wins)', () => {
    expect(applied({}, [f('dimension', '!=', 'idle')]).dimensions).toEqual(['!idle', '*']);
    expect(applied({ nodes: ['web*'] }, [f('node', '!=', 'web2'), f('node', '!=', 'web3')]).nodes).toEqual([
      '!web2',
      '!web3',
      'web*',
    ]);
    expect(
      applied({ instances: ['disk.sda', 'disk.sdb'] }, [
        f('instance', '=', 'disk.sda'),
        f('instance', '!=', 'disk.sdb'),
      ]).instances
    ).toEqual(['!disk.sdb', 'disk.sda']);
  });

  it("refuses a name with '*', which no Netdata pattern can match exactly", () => {
    expect(refused({}, [f('node', '=', 'web*')])).toMatch(
      /web\*" contains '\*', which Netdata patterns cannot escape \(it is always a wildcard\)/
    );
  });

  it('matches names with , | \\ and a leading ! exactly: one escaped item each', () => {
    const selection = applied({}, [f('instance', '!=', 'a|b'), f('dimension', '=', '!x'), f('node', '=', 'c,d')]);
    const url = new URL(
      buildAgentDataRequest({ ...DEFAULT_QUERY, context: 'c', ...selection }, WINDOW, 3).path,
      'http://agent'
    );
    expect(url.searchParams.get('instances')).toBe('!a\\|b|*');
    expect(url.searchParams.get('dimensions')).toBe('\\!x');
    expect(url.searchParams.get('scope_nodes')).toBe('c\\,d');
    expect(selectionHasFilter(selection, f('dimension', '=', '!x'))).toBe(true);
    expect(removeFilter(selection, f('instance', '!=', 'a|b')).instances).toEqual([]);
  });

  it('ignores filters without a key (a row being written in the filter bar)', () => {
    expect(applied({ nodes: ['web1'] }, [f('', '=', 'x')])).toEqual({ ...NONE, nodes: ['web1'] });
  });
});

describe('the Netdata requests the filtered selection builds', () => {
  const window: QueryWindow = { fromMs: 1717171200000, toMs: 1717174800000, maxDataPoints: 100, intervalMs: 36000 };
  const filters = [
    f('device', '=', 'sda'),
    f('device', '=', 'sdb'),
    f('device_type', '=', 'physical'),
    f('node', '!=', 'db1'),
  ];
  const selection = applied({ nodes: ['web*'] }, filters);
  const model = { ...DEFAULT_QUERY, context: 'disk.io', ...selection };

  it('agent: labels key:value items joined with |, the node exclusion first in scope_nodes', () => {
    const url = new URL(buildAgentDataRequest(model, window, 3).path, 'http://agent');
    expect(url.searchParams.get('labels')).toBe('device:sda|device:sdb|device_type:physical');
    expect(url.searchParams.get('scope_nodes')).toBe('!db1|web*');
  });

  it('Cloud: label and node patterns as selectors', () => {
    const body = buildCloudDataRequest(model, window, { spaceId: 's', roomId: 'r' }).body as unknown as {
      selectors: { nodes: string[]; labels: string[] };
    };
    expect(body.selectors.labels).toEqual(['device:sda', 'device:sdb', 'device_type:physical']);
    expect(body.selectors.nodes).toEqual(['!db1', 'web*']);
  });
});

describe('selectionHasFilter / removeFilter (Explore toggles)', () => {
  const selection = applied({}, [f('device', '=', 'sda'), f('dimension', '!=', 'idle')]);
  it('finds what a filter added and removes exactly that', () => {
    expect(selectionHasFilter(selection, f('device', '=', 'sda'))).toBe(true);
    expect(selectionHasFilter(selection, f('device', '=', 'sdb'))).toBe(false);
    expect(selectionHasFilter(selection, f('dimension', '!=', 'idle'))).toBe(true);
    expect(selectionHasFilter(selection, f('dimension', '=', 'idle'))).toBe(false);
    expect(removeFilter(selection, f('dimension', '!=', 'idle')).dimensions).toEqual([]);
    expect(removeFilter(selection, f('device', '=', 'sda')).labels).toEqual([]);
  });
});
