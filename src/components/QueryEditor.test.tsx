import React from 'react';
import { DataSourceInstanceSettings } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DataSource } from '../datasource';
import { NetdataOptions, NetdataQuery } from '../types';
import { QueryEditor } from './QueryEditor';

jest.mock('@grafana/ui', () => {
  const mock = jest.requireActual('./testing/mockCombobox');
  return { ...jest.requireActual('@grafana/ui'), Combobox: mock.Combobox, MultiCombobox: mock.MultiCombobox };
});

const templateSrv = { replace: (t?: string) => t ?? '' } as unknown as TemplateSrv;

const ROUTES: Record<string, unknown> = {
  nodes: {
    nodes: [
      { id: 'mg-1', machineGuid: 'mg-1', hostname: 'web1', state: 'reachable' },
      { id: 'mg-2', machineGuid: 'mg-2', hostname: 'db1', state: 'stale' },
    ],
  },
  contexts: {
    contexts: [
      { id: 'disk.io', title: 'Disk I/O Bandwidth', units: 'KiB/s' },
      { id: 'system.cpu', title: 'Total CPU utilization', units: 'percentage' },
    ],
  },
  context: {
    context: {
      id: 'disk.io',
      dimensions: ['reads', 'writes'],
      instances: ['disk.sda', 'disk.sdb'],
      labels: { device: ['sda', 'sdb'], device_type: ['physical'] },
    },
  },
  spaces: { spaces: [{ id: 's1', name: 'Ops' }] },
  rooms: { rooms: [{ id: 'r1', name: 'All nodes' }] },
};

function newDataSource(jsonData: NetdataOptions = {}, failing: Record<string, unknown> = {}) {
  const ds = new DataSource({ uid: 'nd', jsonData } as DataSourceInstanceSettings<NetdataOptions>, templateSrv);
  const getResource = jest.spyOn(ds, 'getResource').mockImplementation(async (route: string) => {
    if (failing[route]) {
      throw failing[route];
    }
    return ROUTES[route];
  });
  return { ds, getResource };
}

/** Renders the editor as Grafana does: onChange feeds the new query back in. */
function renderEditor(query: NetdataQuery, ds = newDataSource().ds) {
  const onRunQuery = jest.fn();
  const onChange = jest.fn();
  const props = { datasource: ds, onRunQuery, onChange };
  const view = render(<QueryEditor {...props} query={query} />);
  onChange.mockImplementation((next: NetdataQuery) => view.rerender(<QueryEditor {...props} query={next} />));
  const last = (): NetdataQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];
  return { onChange, onRunQuery, last };
}

const select = (id: string) => screen.getByLabelText(id) as HTMLSelectElement;
/** The chosen values as the multi-value picker shows them, in order. */
const selectedTexts = (id: string) =>
  within(screen.getByRole('list', { name: `${id} selected` }))
    .queryAllByRole('listitem')
    .map((li) => li.textContent);
const loaded = (id: string) =>
  waitFor(() =>
    expect(screen.getByTestId(new RegExp(`^${id}-(multi)?combobox$`))).toHaveAttribute('data-loading', 'false')
  );

describe('QueryEditor', () => {
  it('restores a saved query, keeping values the loaded lists do not have', async () => {
    renderEditor({
      refId: 'A',
      context: '$ctx',
      nodes: ['mg-1', 'web*'],
      dimensions: ['reads', '!idle,*'],
      instances: ['disk.sda'],
      labels: [
        { key: 'device', value: 'sda' },
        { key: 'rack', value: 'r7' },
      ],
      groupBy: ['node', 'label'],
      groupByLabels: ['device', 'zone'],
      aggregation: 'sum',
      timeGroup: 'percentile',
      timeGroupOptions: '99',
      legendFormat: '{{node}}',
    });
    await loaded('netdata-query-nodes');
    await loaded('netdata-query-context');
    await loaded('netdata-query-dimensions');

    // A known node shows its hostname; a pattern stays as typed.
    expect(selectedTexts('netdata-query-nodes')).toEqual(['web1', 'web*']);
    expect(select('netdata-query-context').value).toBe('$ctx');
    expect(within(select('netdata-query-context')).getByRole('option', { name: 'disk.io' })).toHaveAttribute(
      'title',
      'Disk I/O Bandwidth · KiB/s'
    );
    expect(selectedTexts('netdata-query-dimensions')).toEqual(['reads', '!idle,*']);
    expect(within(select('netdata-query-dimensions')).getByRole('option', { name: '!idle,*' })).toHaveAttribute(
      'title',
      'Custom value'
    );
    expect(selectedTexts('netdata-query-instances')).toEqual(['disk.sda']);
    expect(selectedTexts('netdata-query-labels')).toEqual(['device:sda', 'rack:r7']);
    expect(selectedTexts('netdata-query-group-by')).toEqual(['node', 'label']);
    expect(selectedTexts('netdata-query-group-by-labels')).toEqual(['device', 'zone']);
    expect(select('netdata-query-aggregation').value).toBe('sum');
    expect(select('netdata-query-time-group').value).toBe('percentile');
    expect(screen.getByDisplayValue('99')).toHaveAttribute('id', 'netdata-query-time-group-options');
    expect(screen.getByDisplayValue('{{node}}')).toHaveAttribute('id', 'netdata-query-legend');
  });

  it('loads contexts for the chosen nodes and the chosen context details', async () => {
    const { ds, getResource } = newDataSource();
    renderEditor({ refId: 'A', context: 'disk.io', nodes: ['mg-1'] }, ds);
    await loaded('netdata-query-dimensions');
    expect(getResource).toHaveBeenCalledWith('contexts', { nodes: ['mg-1'] }, expect.anything());
    expect(getResource).toHaveBeenCalledWith('context', { context: 'disk.io', nodes: ['mg-1'] }, expect.anything());
    expect(
      within(select('netdata-query-dimensions'))
        .getAllByRole('option')
        .map((o) => o.textContent)
    ).toEqual(['reads', 'writes']);
  });

  it('choosing a context changes the query, clears filters of the old context and runs it', async () => {
    const { onChange, onRunQuery, last } = renderEditor({
      refId: 'A',
      context: 'system.cpu',
      nodes: ['mg-1'],
      dimensions: ['user'],
      groupBy: ['node'],
    });
    await loaded('netdata-query-context');
    await userEvent.selectOptions(select('netdata-query-context'), 'disk.io');

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
  });

  it('takes a typed context such as a variable', async () => {
    const { last } = renderEditor({ refId: 'A' });
    await loaded('netdata-query-context');
    await userEvent.type(screen.getByLabelText('netdata-query-context custom value'), '$ctx{Enter}');
    expect(last().context).toBe('$ctx');
  });

  it('keeps selected and percentage-of-instance alone in group by', async () => {
    const { last, onRunQuery } = renderEditor({ refId: 'A', context: 'system.cpu', groupBy: ['node', 'dimension'] });
    await userEvent.selectOptions(select('netdata-query-group-by'), 'selected');
    expect(last().groupBy).toEqual(['selected']);

    await userEvent.selectOptions(select('netdata-query-group-by'), 'percentage-of-instance');
    expect(last().groupBy).toEqual(['percentage-of-instance']);

    await userEvent.selectOptions(select('netdata-query-group-by'), 'instance');
    expect(last().groupBy).toEqual(['instance']);

    await userEvent.selectOptions(select('netdata-query-group-by'), 'node');
    expect([...(last().groupBy ?? [])].sort()).toEqual(['instance', 'node']);
    expect(onRunQuery).toHaveBeenCalledTimes(4);
  });

  it('offers group-by labels only while label is chosen', async () => {
    const { last } = renderEditor({ refId: 'A', context: 'disk.io', groupBy: ['node'] });
    expect(screen.queryByLabelText('netdata-query-group-by-labels')).not.toBeInTheDocument();

    await userEvent.selectOptions(select('netdata-query-group-by'), 'label');
    await loaded('netdata-query-group-by-labels');
    await userEvent.selectOptions(select('netdata-query-group-by-labels'), 'device');
    expect(last()).toMatchObject({ groupBy: ['node', 'label'], groupByLabels: ['device'] });

    await userEvent.deselectOptions(select('netdata-query-group-by'), 'label');
    expect(last()).toMatchObject({ groupBy: ['node'], groupByLabels: [] });
    expect(screen.queryByLabelText('netdata-query-group-by-labels')).not.toBeInTheDocument();
  });

  it('shows the option input for time groups that take one and commits it on blur', async () => {
    const { last, onRunQuery } = renderEditor({ refId: 'A', context: 'system.cpu' });
    expect(screen.queryByPlaceholderText('>0')).not.toBeInTheDocument();

    await userEvent.selectOptions(select('netdata-query-time-group'), 'countif');
    expect(last().timeGroup).toBe('countif');
    const condition = screen.getByPlaceholderText('>0');
    await userEvent.type(condition, '>=10');
    expect(last().timeGroupOptions).toBeUndefined();
    await userEvent.tab();
    expect(last()).toMatchObject({ timeGroup: 'countif', timeGroupOptions: '>=10' });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('does not run a query without a context', async () => {
    const { last, onRunQuery } = renderEditor({ refId: 'A' });
    await userEvent.selectOptions(select('netdata-query-aggregation'), 'max');
    expect(last().aggregation).toBe('max');
    expect(onRunQuery).not.toHaveBeenCalled();
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
    await userEvent.type(screen.getByLabelText('netdata-query-nodes custom value'), 'web*{Enter}');
    expect(last().nodes).toEqual(['web*']);
  });

  it('offers space and room overrides on Netdata Cloud only', async () => {
    renderEditor({ refId: 'A', context: 'system.cpu' });
    expect(screen.queryByLabelText('netdata-query-space')).not.toBeInTheDocument();

    const { ds, getResource } = newDataSource({ transport: 'cloud', spaceId: 's1', roomId: 'r1' });
    const { last } = renderEditor({ refId: 'B', context: 'system.cpu' }, ds);
    await loaded('netdata-query-space');
    await userEvent.selectOptions(select('netdata-query-space'), 'Ops');
    expect(last()).toMatchObject({ spaceId: 's1', roomId: undefined });
    await waitFor(() => expect(getResource).toHaveBeenCalledWith('nodes', { spaceId: 's1' }, expect.anything()));
    expect(getResource).toHaveBeenCalledWith('rooms', { spaceId: 's1' }, expect.anything());
  });
});
