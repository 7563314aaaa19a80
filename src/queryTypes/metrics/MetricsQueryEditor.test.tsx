import React from 'react';
import { CoreApp, DataQueryRequest, DataSourceInstanceSettings, dateTime } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DataSource } from '../../datasource';
import type { ContextSummary } from '../../netdata/catalog';
import { NetdataOptions, NetdataQuery } from '../../types';
import { ContextField } from '../../components/fields/ContextField';
import { LABEL_SEMANTICS } from '../../components/fields/LabelFiltersRow';
import { QueryEditor } from '../QueryEditor';
import { AnnotationQueryEditor } from '../alertTransitions/AnnotationQueryEditor';
import { testIds } from '../../testIds';

// Most tests use native-select stand-ins; `mockRealCombobox` switches the context picker test to the real one.
let mockRealCombobox = false;
jest.mock('@grafana/ui', () => {
  const actual = jest.requireActual('@grafana/ui');
  const mock = jest.requireActual('../../components/testing/mockCombobox');
  const React = jest.requireActual('react');
  const pick = (name: 'Combobox' | 'MultiCombobox') =>
    function Picked(props: object) {
      return React.createElement(mockRealCombobox ? actual[name] : mock[name], props);
    };
  return { ...actual, Combobox: pick('Combobox'), MultiCombobox: pick('MultiCombobox') };
});

// userEvent drives many renders per test; on a loaded 2-core machine that exceeds jest's 5 s default.
jest.setTimeout(30_000);

const templateSrv = { replace: (t?: string) => t ?? '' } as unknown as TemplateSrv;

type Params = Record<string, string | string[] | undefined>;
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/**
 * A backend whose answers depend on the request, like Netdata's: db1 (mg-2) has no disks but nvme0, and its
 * contexts differ from web1's. `hold(route)` keeps the next answers of a route pending until released.
 */
function fakeBackend() {
  const held = new Map<string, Array<() => void>>();
  const holding = new Set<string>();
  const answer = (route: string, params: Params): unknown => {
    const nodes = list(params.nodes);
    const onlyDb = nodes.length === 1 && nodes[0] === 'mg-2';
    switch (route) {
      case 'nodes':
        return params.roomId === 'r2'
          ? { nodes: [{ id: 'mg-9', machineGuid: 'mg-9', hostname: 'edge1' }] }
          : {
              nodes: [
                { id: 'mg-1', machineGuid: 'mg-1', hostname: 'web1', state: 'reachable' },
                { id: 'mg-2', machineGuid: 'mg-2', hostname: 'db1', state: 'stale' },
              ],
            };
      case 'contexts':
        return {
          contexts: onlyDb
            ? [
                { id: 'disk.io', title: 'Disk I/O Bandwidth', units: 'KiB/s', family: 'io' },
                { id: 'mysql.queries', title: 'MySQL Queries', units: 'queries/s', family: 'queries' },
              ]
            : [
                { id: 'apps.procs', title: 'Running applications', units: 'processes', family: 'workload' },
                { id: 'disk.io', title: 'Disk I/O Bandwidth', units: 'KiB/s', family: 'io' },
                { id: 'system.cpu', title: 'Total CPU utilization', units: 'percentage', family: 'cpu' },
              ],
        };
      case 'context':
        if (params.context === 'system.cpu') {
          return { context: { id: 'system.cpu', units: 'percentage', dimensions: ['user', 'system', 'idle'] } };
        }
        return {
          context: onlyDb
            ? { id: 'disk.io', dimensions: ['reads'], instances: ['disk.nvme0'], labels: { device: ['nvme0'] } }
            : {
                id: 'disk.io',
                title: 'Disk I/O Bandwidth',
                units: 'KiB/s',
                dimensions: ['reads', 'writes'],
                instances: ['disk.sda', 'disk.sdb'],
                labels: { device: ['sda', 'sdb'], device_type: ['physical'], _collect_plugin: ['proc'] },
              },
        };
      case 'search':
        // Netdata's search over instances, dimensions and labels; other texts fail (the picker keeps its own matches).
        if (params.q === 'sda') {
          return {
            contexts: [
              {
                id: 'disk.io',
                title: 'Disk I/O Bandwidth',
                units: 'KiB/s',
                family: 'io',
                matched: ['instance disk.sda', 'label device=sda'],
              },
            ],
            exact: true,
          };
        }
        throw { status: 502, data: { error: 'search failed' } };
      case 'spaces':
        return { spaces: [{ id: 's1', name: 'Ops' }] };
      case 'rooms':
        return {
          rooms: [
            { id: 'r1', name: 'All nodes' },
            { id: 'r2', name: 'Edge' },
          ],
        };
    }
    throw { status: 404, data: { error: `no route ${route}` } };
  };
  return {
    answer,
    hold: (route: string) => holding.add(route),
    release: (route: string) => {
      holding.delete(route);
      held
        .get(route)
        ?.splice(0)
        .forEach((go) => go());
    },
    async call(route: string, params: Params) {
      if (holding.has(route)) {
        await new Promise<void>((resolve) => held.set(route, [...(held.get(route) ?? []), resolve]));
      }
      return answer(route, params);
    },
  };
}

function newDataSource(jsonData: NetdataOptions = {}, failing: Record<string, unknown> = {}) {
  const ds = new DataSource({ uid: 'nd', jsonData } as DataSourceInstanceSettings<NetdataOptions>, templateSrv);
  const backend = fakeBackend();
  const getResource = jest.spyOn(ds, 'getResource').mockImplementation(async (route: string, params?: unknown) => {
    if (failing[route]) {
      throw failing[route];
    }
    return backend.call(route, (params ?? {}) as Params);
  });
  return { ds, getResource, backend };
}

/** Renders the editor as Grafana does: onChange feeds the new query back in. */
function renderEditor(
  query: NetdataQuery,
  ds = newDataSource().ds,
  extra: { app?: CoreApp; data?: { request: DataQueryRequest } } = {}
) {
  const onRunQuery = jest.fn();
  const onChange = jest.fn();
  const props = { datasource: ds, onRunQuery, onChange, ...extra } as const;
  const view = render(<QueryEditor {...props} query={query} data={extra.data as never} />);
  onChange.mockImplementation((next: NetdataQuery) =>
    view.rerender(<QueryEditor {...props} query={next} data={extra.data as never} />)
  );
  const last = (): NetdataQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];
  return { onChange, onRunQuery, last };
}

const select = (id: string) => screen.getByLabelText(id) as HTMLSelectElement;
/** The options offered (not the placeholder). */
const optionTexts = (id: string) =>
  within(select(id))
    .getAllByRole('option')
    .filter((o) => (o as HTMLOptionElement).value !== '')
    .map((o) => o.textContent);
/** The chosen values as the multi-value picker shows them, in order. */
const selectedTexts = (id: string) =>
  within(screen.getByRole('list', { name: `${id} selected` }))
    .queryAllByRole('listitem')
    .map((li) => li.textContent);
const pill = (id: string, text: string) => within(screen.getByRole('list', { name: `${id} selected` })).getByText(text);
const picker = (id: string) => screen.getByTestId(new RegExp(`^${id}-(multi)?combobox$`));
const loaded = (id: string) => waitFor(() => expect(picker(id)).toHaveAttribute('data-loading', 'false'));
const searched = (id: string) => waitFor(() => expect(picker(id)).toHaveAttribute('data-searching', 'false'));

describe('QueryEditor', () => {
  afterEach(() => {
    mockRealCombobox = false;
    jest.restoreAllMocks();
  });

  it('restores every saved choice on reopen, keeping values the loaded lists do not have', async () => {
    renderEditor({
      refId: 'A',
      context: 'disk.io',
      nodes: ['mg-1', 'web*'],
      dimensions: ['reads', '!idle,*'],
      instances: ['disk.sda'],
      labels: [
        { key: 'device', value: 'sda' },
        { key: 'device', value: 'sdb' },
      ],
      groupBy: ['node', 'label'],
      groupByLabels: ['device', 'zone'],
      aggregation: 'sum',
      timeGroup: 'percentile',
      timeGroupOptions: '99',
      tier: 0,
      anomalyRate: true,
      nonZero: true,
      percentage: true,
      limit: 5,
      legendFormat: '{{node}}',
    });
    await loaded(testIds.queryNodes);
    await loaded(testIds.queryDimensions);
    await searched(testIds.queryContext);

    // A known node shows its hostname; a pattern stays as typed.
    expect(selectedTexts(testIds.queryNodes)).toEqual(['web1', 'web*']);
    expect(select(testIds.queryContext).value).toBe('disk.io');
    expect(screen.getByText('Disk I/O Bandwidth (KiB/s) · family io')).toBeInTheDocument();
    expect(selectedTexts(testIds.queryDimensions)).toEqual(['reads', '!idle,*']);
    expect(pill(testIds.queryDimensions, '!idle,*')).toHaveAttribute('title', 'Custom value');
    expect(selectedTexts(testIds.queryInstances)).toEqual(['disk.sda']);
    expect(select(testIds.queryLabelKey(0)).value).toBe('device');
    expect(select(testIds.queryLabelValue(0)).value).toBe('sda');
    expect(select(testIds.queryLabelValue(1)).value).toBe('sdb');
    expect(selectedTexts(testIds.queryGroupBy)).toEqual(['node', 'label']);
    expect(selectedTexts(testIds.queryGroupByLabels)).toEqual(['device', 'zone']);
    expect(select(testIds.queryAggregation).value).toBe('sum');
    expect(select(testIds.queryTimeGroup).value).toBe('percentile');
    expect(screen.getByDisplayValue('99')).toHaveAttribute('id', testIds.queryTimeGroupOptions);
    expect(select(testIds.queryTier).value).toBe('0');
    for (const id of [testIds.queryAnomalyRate, testIds.queryNonZero, testIds.queryPercentage]) {
      expect(document.getElementById(id)).toBeChecked();
    }
    expect(screen.getByDisplayValue('5')).toHaveAttribute('id', testIds.queryLimit);
    expect(screen.getByDisplayValue('{{node}}')).toHaveAttribute('id', testIds.queryLegend);
    // Nothing is marked: "zone" is the only group-by key the context lacks.
    expect(screen.getAllByText(/selects nothing/)).toHaveLength(1);
    expect(screen.getByText(/selects nothing: "zone"/)).toBeInTheDocument();
  });

  it("migrates a query saved by Netdata's own plugin once on open, and shows it in the current shape", async () => {
    const { onChange, last, onRunQuery } = renderEditor({
      refId: 'A',
      contextId: 'disk.io',
      method: 'max',
      group: 'median',
      groupBy: ['node', 'device'],
      filterBy: 'device',
      filterValue: 'sda',
      legend: '{{device}}',
    } as unknown as NetdataQuery);
    await loaded(testIds.queryDimensions);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(last()).toEqual({
      refId: 'A',
      context: 'disk.io',
      aggregation: 'max',
      timeGroup: 'median',
      groupBy: ['node', 'label'],
      groupByLabels: ['device'],
      labels: [{ key: 'device', value: 'sda' }],
      legendFormat: '{{device}}',
    });
    expect(onRunQuery).not.toHaveBeenCalled();
    expect(select(testIds.queryContext).value).toBe('disk.io');
    expect(select(testIds.queryAggregation).value).toBe('max');
    expect(select(testIds.queryTimeGroup).value).toBe('median');
    expect(selectedTexts(testIds.queryGroupByLabels)).toEqual(['device']);
    expect(select(testIds.queryLabelValue(0)).value).toBe('sda');
    expect(screen.getByDisplayValue('{{device}}')).toBeInTheDocument();
  });

  it('leaves a current query alone on open', async () => {
    const { onChange } = renderEditor({ refId: 'A', context: 'system.cpu', groupBy: ['node'] });
    await loaded(testIds.queryDimensions);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('starts a new query with defaults that suit the app: alert rules group by node and have no legend', async () => {
    const dashboard = renderEditor({ refId: 'A' });
    expect(dashboard.last()).toMatchObject({ refId: 'A', context: 'system.cpu', groupBy: ['dimension'] });
    expect(document.getElementById(testIds.queryLegend)).toBeInTheDocument();
    await loaded(testIds.queryDimensions);
    dashboard.onChange.mockClear();

    document.body.innerHTML = '';
    const alert = renderEditor({ refId: 'B' }, newDataSource().ds, { app: CoreApp.UnifiedAlerting });
    expect(alert.last()).toMatchObject({ refId: 'B', context: 'system.cpu', groupBy: ['node'], aggregation: 'sum' });
    expect(document.getElementById(testIds.queryLegend)).not.toBeInTheDocument();
    await loaded(testIds.queryDimensions);
  });

  it('searches contexts by id, title and family, with units shown', async () => {
    const { last } = renderEditor({ refId: 'A', context: 'disk.io' });
    await searched(testIds.queryContext);
    const search = screen.getByLabelText(`${testIds.queryContext} search`);

    await userEvent.type(search, 'utilization');
    await searched(testIds.queryContext);
    // disk.io first: the current value always shows; then the match by title.
    expect(optionTexts(testIds.queryContext)).toEqual(['disk.io', 'system.cpu']);
    expect(within(select(testIds.queryContext)).getByText('system.cpu')).toHaveAttribute(
      'title',
      'Total CPU utilization (percentage) · family cpu'
    );

    await userEvent.clear(search);
    await userEvent.type(search, 'WorkLoad');
    await searched(testIds.queryContext);
    expect(optionTexts(testIds.queryContext)).toEqual(['disk.io', 'apps.procs']);

    await userEvent.clear(search);
    await userEvent.type(search, 'io band');
    await searched(testIds.queryContext);
    expect(optionTexts(testIds.queryContext)).toEqual(['disk.io']);

    await userEvent.clear(search);
    await userEvent.type(search, 'cpu');
    await searched(testIds.queryContext);
    await userEvent.selectOptions(select(testIds.queryContext), 'system.cpu');
    expect(last().context).toBe('system.cpu');
  });

  it("finds contexts by instance or label through Netdata's search (search?q=), saying what matched", async () => {
    const { ds, getResource } = newDataSource();
    renderEditor({ refId: 'A', context: 'system.cpu', nodes: ['mg-1'] }, ds);
    await searched(testIds.queryContext);
    await userEvent.type(screen.getByLabelText(`${testIds.queryContext} search`), 'sda');
    await waitFor(() => expect(optionTexts(testIds.queryContext)).toEqual(['system.cpu', 'disk.io']));
    expect(within(select(testIds.queryContext)).getByText('disk.io')).toHaveAttribute(
      'title',
      'Disk I/O Bandwidth (KiB/s) · family io · matched instance disk.sda, label device=sda'
    );
    expect(getResource).toHaveBeenCalledWith('search', { q: 'sda', nodes: ['mg-1'] }, expect.anything());
  });

  it('renders a bounded number of options with 10 000 contexts (real Combobox)', async () => {
    mockRealCombobox = true;
    // jsdom has no canvas nor IntersectionObserver; the menu measures option labels and watches its anchor.
    window.IntersectionObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof IntersectionObserver;
    jest
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockReturnValue({ font: '', measureText: (t: string) => ({ width: 7 * t.length }) } as never);
    // jsdom lays nothing out: give the menu's scroll area a height, so the virtual list has a window to fill.
    jest.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(300);
    jest.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(400);
    const contexts: ContextSummary[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `app${String(i).padStart(5, '0')}.metric`,
      title: `Application metric ${i}`,
      units: 'events/s',
      family: `family ${i % 50}`,
    }));
    contexts.push({ id: 'disk.io', title: 'Disk I/O Bandwidth', units: 'KiB/s', family: 'io' });
    const onChange = jest.fn();
    const started = performance.now();
    render(
      <ContextField context={undefined} list={{ value: contexts, loading: false }} listKey="" onChange={onChange} />
    );
    const input = screen.getByRole('combobox');
    await userEvent.click(input);
    const rows = await screen.findAllByRole('option', {}, { timeout: 3000 });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(50);
    expect(rows[0]).toHaveTextContent('app00000.metric');

    await userEvent.type(input, 'Disk I/O');
    await waitFor(() => expect(screen.getAllByRole('option')[0]).toHaveTextContent('disk.io'), { timeout: 3000 });
    expect(screen.getAllByRole('option').length).toBeLessThanOrEqual(50);
    expect(screen.getAllByRole('option')[0]).toHaveTextContent('Disk I/O Bandwidth (KiB/s)');
    await userEvent.click(screen.getAllByRole('option')[0]);
    expect(onChange).toHaveBeenCalledWith('disk.io');
    // jsdom is slow; this only guards against an accidental full render (which takes tens of seconds here).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('loads contexts for the chosen nodes and the chosen context details', async () => {
    const { ds, getResource } = newDataSource();
    renderEditor({ refId: 'A', context: 'disk.io', nodes: ['mg-1'] }, ds);
    await loaded(testIds.queryDimensions);
    expect(getResource).toHaveBeenCalledWith('contexts', { nodes: ['mg-1'] }, expect.anything());
    expect(getResource).toHaveBeenCalledWith('context', { context: 'disk.io', nodes: ['mg-1'] }, expect.anything());
    expect(optionTexts(testIds.queryDimensions)).toEqual(['reads', 'writes']);
    expect(optionTexts(testIds.queryInstances)).toEqual(['disk.sda', 'disk.sdb']);
  });

  it('after a node change, reloads the contexts (no stale list meanwhile) and marks choices the new nodes lack', async () => {
    const { ds, backend } = newDataSource();
    const { last } = renderEditor(
      {
        refId: 'A',
        context: 'disk.io',
        nodes: ['mg-1'],
        dimensions: ['writes', 'reads', 'read*'],
        instances: ['disk.sda'],
        labels: [{ key: 'device', value: 'sda' }],
      },
      ds
    );
    await loaded(testIds.queryDimensions);
    await searched(testIds.queryContext);
    expect(screen.queryByText(/selects nothing/)).not.toBeInTheDocument();

    backend.hold('contexts');
    backend.hold('context');
    await userEvent.deselectOptions(select(testIds.queryNodes), 'web1');
    await userEvent.selectOptions(select(testIds.queryNodes), 'db1');
    expect(last().nodes).toEqual(['mg-2']);

    // While the new nodes' lists load, the old ones are gone, not offered.
    await userEvent.type(screen.getByLabelText(`${testIds.queryContext} search`), 'i');
    expect(picker(testIds.queryContext)).toHaveAttribute('data-loading', 'true');
    expect(picker(testIds.queryContext)).toHaveAttribute('data-searching', 'true');
    expect(optionTexts(testIds.queryContext)).toEqual(['disk.io']); // the current value only
    expect(optionTexts(testIds.queryDimensions)).toEqual(['writes', 'reads', 'read*']); // only the saved ones
    expect(screen.queryByText(/selects nothing/)).not.toBeInTheDocument();

    act(() => {
      backend.release('contexts');
      backend.release('context');
    });
    await searched(testIds.queryContext);
    expect(optionTexts(testIds.queryContext)).toEqual(['disk.io', 'mysql.queries']);
    await loaded(testIds.queryDimensions);

    // Kept, but marked: a plain name db1 lacks; a pattern is not judged.
    expect(
      screen.getByText('Not reported for this context on the chosen nodes, so it selects nothing: "writes"')
    ).toBeInTheDocument();
    expect(pill(testIds.queryDimensions, 'writes')).toHaveAttribute('title', 'Not on the chosen nodes');
    expect(pill(testIds.queryDimensions, 'read*')).toHaveAttribute('title', 'Custom value');
    expect(picker(testIds.queryDimensions)).toHaveAttribute('data-invalid', 'true');
    expect(screen.getByText(/selects nothing: "disk.sda"/)).toBeInTheDocument();
    expect(
      screen.getByText('device:sda is not reported for this context on the chosen nodes, so it selects nothing')
    ).toBeInTheDocument();
    expect(optionTexts(testIds.queryDimensions)).toEqual(['writes', 'read*', 'reads']);
    expect(last()).toMatchObject({ dimensions: ['writes', 'reads', 'read*'], instances: ['disk.sda'] });
  });

  it('marks a context the chosen nodes do not collect', async () => {
    renderEditor({ refId: 'A', context: 'system.cpu', nodes: ['mg-2'] });
    expect(await screen.findByText('system.cpu is not collected by the chosen nodes')).toBeInTheDocument();
    expect(picker(testIds.queryContext)).toHaveAttribute('data-invalid', 'true');
  });

  it('choosing a context changes the query, clears filters of the old context and runs it', async () => {
    const { onChange, onRunQuery, last } = renderEditor({
      refId: 'A',
      context: 'system.cpu',
      nodes: ['mg-1'],
      dimensions: ['user'],
      labels: [{ key: 'cpu', value: 'cpu0' }],
      groupBy: ['node'],
    });
    await searched(testIds.queryContext);
    await userEvent.selectOptions(select(testIds.queryContext), 'disk.io');

    expect(onChange).toHaveBeenCalledTimes(1);
    expect(last()).toEqual({
      refId: 'A',
      context: 'disk.io',
      nodes: ['mg-1'],
      dimensions: [],
      instances: [],
      labels: [],
      groupBy: ['node'],
    });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.queryByLabelText(testIds.queryLabelKey(0))).not.toBeInTheDocument();
  });

  it('takes a typed context such as a variable', async () => {
    const { last } = renderEditor({ refId: 'A', context: 'system.cpu' });
    await searched(testIds.queryContext);
    await userEvent.type(screen.getByLabelText(`${testIds.queryContext} search`), '$ctx');
    await searched(testIds.queryContext);
    expect(optionTexts(testIds.queryContext)).toEqual(['system.cpu', '$ctx']);
    expect(within(select(testIds.queryContext)).getByText('$ctx')).toHaveAttribute(
      'title',
      'Use this context id, pattern or $variable'
    );
    await userEvent.selectOptions(select(testIds.queryContext), '$ctx');
    expect(last().context).toBe('$ctx');
  });

  it('takes dimension patterns with ! and says how patterns work', async () => {
    const { last } = renderEditor({ refId: 'A', context: 'system.cpu' });
    await loaded(testIds.queryDimensions);
    await userEvent.type(screen.getByLabelText(`${testIds.queryDimensions} custom value`), '!idle,*{Enter}');
    expect(last().dimensions).toEqual(['!idle,*']);
    expect(pill(testIds.queryDimensions, '!idle,*')).toHaveAttribute('title', 'Custom value');
    expect(screen.queryByText(/selects nothing/)).not.toBeInTheDocument();
  });

  it("edits label filters as key/value rows with values from the context, stating Netdata's semantics", async () => {
    const { last, onChange } = renderEditor({ refId: 'A', context: 'disk.io' });
    await loaded(testIds.queryDimensions);
    expect(screen.getByText(LABEL_SEMANTICS)).toBeInTheDocument();
    expect(LABEL_SEMANTICS).toMatch(
      /same key.*OR.*different keys.*AND.*\* cannot be matched.*! , \| \\ are taken literally/i
    );

    await userEvent.click(screen.getByRole('button', { name: 'Add label filter' }));
    expect(optionTexts(testIds.queryLabelKey(0))).toEqual(['device', 'device_type', '_collect_plugin']);
    await userEvent.selectOptions(select(testIds.queryLabelKey(0)), 'device');
    // Half a filter is not saved.
    expect(onChange).not.toHaveBeenCalled();
    expect(optionTexts(testIds.queryLabelValue(0))).toEqual(['sda', 'sdb']);
    await userEvent.selectOptions(select(testIds.queryLabelValue(0)), 'sdb');
    expect(last().labels).toEqual([{ key: 'device', value: 'sdb' }]);

    await userEvent.click(screen.getByRole('button', { name: 'Add label filter' }));
    await userEvent.selectOptions(select(testIds.queryLabelKey(1)), 'device');
    await userEvent.type(screen.getByLabelText(`${testIds.queryLabelValue(1)} custom value`), 'sd*{Enter}');
    expect(last().labels).toEqual([
      { key: 'device', value: 'sdb' },
      { key: 'device', value: 'sd*' },
    ]);
    expect(screen.getByText(/device:sd\* has '\*' in its value/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Remove label filter 2' }));
    expect(last().labels).toEqual([{ key: 'device', value: 'sdb' }]);
    expect(screen.queryByText(/has '\*'/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Remove label filter 1' }));
    expect(last().labels).toEqual([]);
  });

  it('keeps selected and percentage-of-instance alone in group by', async () => {
    const { last, onRunQuery } = renderEditor({ refId: 'A', context: 'system.cpu', groupBy: ['node', 'dimension'] });
    await userEvent.selectOptions(select(testIds.queryGroupBy), 'selected');
    expect(last().groupBy).toEqual(['selected']);

    await userEvent.selectOptions(select(testIds.queryGroupBy), 'percentage-of-instance');
    expect(last().groupBy).toEqual(['percentage-of-instance']);

    await userEvent.selectOptions(select(testIds.queryGroupBy), 'instance');
    expect(last().groupBy).toEqual(['instance']);

    await userEvent.selectOptions(select(testIds.queryGroupBy), 'node');
    expect([...(last().groupBy ?? [])].sort()).toEqual(['instance', 'node']);
    expect(onRunQuery).toHaveBeenCalledTimes(4);
  });

  it('shows why a saved group-by combination does not work', async () => {
    renderEditor({ refId: 'A', context: 'system.cpu', groupBy: ['selected', 'node'] });
    expect(screen.getByText(/"selected" cannot be combined with other group-by words \(node\)/)).toBeInTheDocument();
    await loaded(testIds.queryDimensions);
  });

  it('offers group-by label keys from the context only while label is chosen', async () => {
    const { last } = renderEditor({ refId: 'A', context: 'disk.io', groupBy: ['node'] });
    expect(screen.queryByLabelText(testIds.queryGroupByLabels)).not.toBeInTheDocument();

    await userEvent.selectOptions(select(testIds.queryGroupBy), 'label');
    await loaded(testIds.queryGroupByLabels);
    expect(screen.getByText(/Choose at least one label key/)).toBeInTheDocument();
    expect(optionTexts(testIds.queryGroupByLabels)).toEqual(['device', 'device_type', '_collect_plugin']);
    await userEvent.selectOptions(select(testIds.queryGroupByLabels), 'device');
    expect(last()).toMatchObject({ groupBy: ['node', 'label'], groupByLabels: ['device'] });

    await userEvent.deselectOptions(select(testIds.queryGroupBy), 'label');
    expect(last()).toMatchObject({ groupBy: ['node'], groupByLabels: [] });
    expect(screen.queryByLabelText(testIds.queryGroupByLabels)).not.toBeInTheDocument();
  });

  it('offers every aggregation with its description, extremes marked as needing Netdata 2.6', async () => {
    const { last } = renderEditor({ refId: 'A', context: 'system.cpu' });
    expect(optionTexts(testIds.queryAggregation)).toEqual(['Average', 'Sum', 'Min', 'Max', 'Percentage', 'Extremes']);
    expect(within(select(testIds.queryAggregation)).getByText('Extremes').getAttribute('title')).toMatch(
      /needs Netdata ≥ 2\.6/
    );
    await userEvent.selectOptions(select(testIds.queryAggregation), 'extremes');
    expect(last().aggregation).toBe('extremes');
  });

  it('offers every time aggregation as Netdata computes it, with its option', async () => {
    const { last, onRunQuery } = renderEditor({ refId: 'A', context: 'system.cpu' });
    expect(optionTexts(testIds.queryTimeGroup)).toHaveLength(15);
    expect(within(select(testIds.queryTimeGroup)).getByText('Percentile (Netdata)').getAttribute('title')).toMatch(
      /mean of the lowest N %/
    );
    expect(screen.queryByLabelText('Condition')).not.toBeInTheDocument();

    await userEvent.selectOptions(select(testIds.queryTimeGroup), 'countif');
    expect(last().timeGroup).toBe('countif');
    expect(screen.getByText(/Percentage \(0–100\) of the samples/)).toBeInTheDocument();
    const condition = screen.getByPlaceholderText('=0');
    await userEvent.type(condition, '10');
    await userEvent.tab();
    expect(last()).toMatchObject({ timeGroup: 'countif', timeGroupOptions: '10' });
    expect(screen.getByText(/Enter an operator and a number/)).toBeInTheDocument();

    await userEvent.clear(screen.getByPlaceholderText('=0'));
    await userEvent.type(screen.getByPlaceholderText('=0'), '>=10');
    await userEvent.tab();
    expect(last()).toMatchObject({ timeGroup: 'countif', timeGroupOptions: '>=10' });
    expect(screen.queryByText(/Enter an operator and a number/)).not.toBeInTheDocument();

    await userEvent.selectOptions(select(testIds.queryTimeGroup), 'percentile');
    expect(last()).toMatchObject({ timeGroup: 'percentile', timeGroupOptions: undefined });
    expect(screen.getByPlaceholderText('95')).toHaveAttribute('id', testIds.queryTimeGroupOptions);
    expect(onRunQuery).toHaveBeenCalledTimes(4);
  });

  it('chooses the tier, saying that statistical time aggregations need tier 0', async () => {
    const { last } = renderEditor({ refId: 'A', context: 'system.cpu', timeGroup: 'median' });
    expect(screen.getByText('Median needs tier 0 (the samples); Auto uses tier 0 for it')).toBeInTheDocument();
    await userEvent.selectOptions(select(testIds.queryTier), '1');
    expect(last().tier).toBe(1);
    expect(
      screen.getByText(/Median over tier 1 is computed from per-minute or coarser aggregates/)
    ).toBeInTheDocument();
    await userEvent.selectOptions(select(testIds.queryTier), '0');
    expect(last().tier).toBe(0);
    await userEvent.selectOptions(select(testIds.queryTier), 'auto');
    expect(last().tier).toBeUndefined();
    expect(select(testIds.queryTier).value).toBe('auto');
  });

  it('toggles anomaly rate, non-zero and percentage, and sets the top series and the legend', async () => {
    const { last } = renderEditor({ refId: 'A', context: 'system.cpu' });
    await userEvent.click(document.getElementById(testIds.queryAnomalyRate)!);
    expect(last().anomalyRate).toBe(true);
    await userEvent.click(document.getElementById(testIds.queryNonZero)!);
    expect(last().nonZero).toBe(true);
    await userEvent.click(document.getElementById(testIds.queryPercentage)!);
    expect(last().percentage).toBe(true);
    await userEvent.click(document.getElementById(testIds.queryAnomalyRate)!);
    expect(last().anomalyRate).toBeUndefined();

    await userEvent.type(document.getElementById(testIds.queryLimit)!, '10');
    await userEvent.tab();
    expect(last().limit).toBe(10);
    await userEvent.type(document.getElementById(testIds.queryLegend)!, '{{{{dimension}} on {{{{node}}');
    await userEvent.tab();
    expect(last()).toMatchObject({
      legendFormat: '{{dimension}} on {{node}}',
      nonZero: true,
      percentage: true,
      limit: 10,
    });
  });

  it('shows the resolution the panel will get', async () => {
    const request = {
      range: { from: dateTime(1_700_000_000_000), to: dateTime(1_700_003_600_000), raw: { from: 'now-1h', to: 'now' } },
      maxDataPoints: 1200,
      intervalMs: 5000,
    } as unknown as DataQueryRequest;
    renderEditor({ refId: 'A', context: 'system.cpu' }, newDataSource().ds, { data: { request } });
    expect(screen.getByTestId(testIds.queryResolution)).toHaveTextContent(
      'Resolution: 720 points per series, about one per 5s'
    );
    await loaded(testIds.queryDimensions);
  });

  it('shows why a list could not load and still accepts typed values', async () => {
    const { ds } = newDataSource(
      {},
      { nodes: { status: 502, data: { error: 'Netdata at http://x:19999 is unreachable' } } }
    );
    const { last } = renderEditor({ refId: 'A', context: 'system.cpu' }, ds);
    expect(
      await screen.findByText('Could not load nodes: Netdata at http://x:19999 is unreachable')
    ).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(`${testIds.queryNodes} custom value`), 'web*{Enter}');
    expect(last().nodes).toEqual(['web*']);
  });

  it('on Netdata Cloud, picks space and room (defaults named) and lists the nodes of that room', async () => {
    renderEditor({ refId: 'A', context: 'system.cpu' });
    expect(screen.queryByLabelText(testIds.querySpace)).not.toBeInTheDocument();
    document.body.innerHTML = '';

    const { ds, getResource } = newDataSource({ transport: 'cloud', spaceId: 's1', roomId: 'r1' });
    const { last } = renderEditor({ refId: 'B', context: 'system.cpu', nodes: ['mg-1'] }, ds);
    await loaded(testIds.queryRoom);
    await loaded(testIds.querySpace);
    expect(within(select(testIds.querySpace)).getByRole('option', { name: 'Default: Ops' })).toBeInTheDocument();
    expect(within(select(testIds.queryRoom)).getByRole('option', { name: 'Default: All nodes' })).toBeInTheDocument();
    expect(selectedTexts(testIds.queryNodes)).toEqual(['web1']);

    await userEvent.selectOptions(select(testIds.queryRoom), 'Edge');
    expect(last()).toMatchObject({ roomId: 'r2' });
    await waitFor(() => expect(getResource).toHaveBeenCalledWith('nodes', { roomId: 'r2' }, expect.anything()));
    await loaded(testIds.queryNodes);
    expect(optionTexts(testIds.queryNodes)).toEqual(['mg-1', 'edge1']);
    expect(screen.getByText('Not reported in the chosen room, so it selects nothing: "mg-1"')).toBeInTheDocument();
    expect(getResource).toHaveBeenCalledWith('contexts', { nodes: ['mg-1'], roomId: 'r2' }, expect.anything());

    await userEvent.selectOptions(select(testIds.querySpace), 'Ops');
    expect(last()).toMatchObject({ spaceId: 's1', roomId: undefined });
    expect(getResource).toHaveBeenCalledWith('rooms', { spaceId: 's1' }, expect.anything());
  });
});

describe('AnnotationQueryEditor', () => {
  it('marks the query as an alerts query, offers nodes and statuses, and lets alert queries through', async () => {
    const { ds } = newDataSource();
    const onChange = jest.fn();
    const props = { datasource: ds, onRunQuery: jest.fn(), onChange } as const;
    const view = render(<AnnotationQueryEditor {...props} query={{ refId: 'Anno' }} />);
    onChange.mockImplementation((next: NetdataQuery) =>
      view.rerender(<AnnotationQueryEditor {...props} query={next} />)
    );
    await waitFor(() => expect(onChange).toHaveBeenCalledWith({ refId: 'Anno', queryType: 'alertTransitions' }));
    await waitFor(() => expect(optionTexts(testIds.queryNodes)).toEqual(['web1', 'db1']));
    expect(optionTexts(testIds.annotationStatuses)).toEqual(['CRITICAL', 'WARNING', 'CLEAR']);
    expect(selectedTexts(testIds.annotationStatuses)).toEqual(['CRITICAL', 'WARNING']);
    expect(ds.filterQuery({ refId: 'Anno', queryType: 'alertTransitions' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A' })).toBe(false);
    expect(ds.annotations?.getDefaultQuery?.()).toEqual({
      queryType: 'alertTransitions',
      alertStatuses: ['CRITICAL', 'WARNING'],
    });
    expect(ds.annotations?.prepareQuery?.({ target: { refId: '', alert: 'x' } } as never)).toEqual({
      refId: 'Anno',
      alert: 'x',
      queryType: 'alertTransitions',
    });
  });
});
