import React from 'react';
import { DataSourceInstanceSettings } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DataSource } from '../datasource';
import { NetdataOptions, NetdataVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';
import { testIds } from '../testIds';

jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  ...jest.requireActual('../components/testing/mockCombobox'),
}));

const templateSrv = { replace: (t?: string) => t ?? '' } as unknown as TemplateSrv;

type Params = Record<string, string | string[] | undefined>;

/** Answers like the backend's routes; contexts depend on the nodes asked for. */
function answer(route: string, params: Params): unknown {
  switch (route) {
    case 'nodes':
      return {
        nodes: [
          { id: 'mg-1', machineGuid: 'mg-1', hostname: 'web1' },
          { id: 'mg-2', machineGuid: 'mg-2', hostname: 'db1' },
        ],
      };
    case 'contexts':
      return {
        contexts:
          params.nodes === 'mg-2' || (Array.isArray(params.nodes) && params.nodes.join() === 'mg-2')
            ? [{ id: 'mysql.queries' }]
            : [{ id: 'disk.io', title: 'Disk I/O Bandwidth' }, { id: 'system.cpu' }],
      };
    case 'context':
      if (String(params.context).startsWith('$') || params.context === 'gone.context') {
        throw { status: 404, data: { error: `Netdata has no context "${params.context}"` } };
      }
      return {
        context: {
          id: params.context,
          dimensions: ['reads'],
          instances: ['disk.sda'],
          labels: { device: ['sda', 'sdb'], _collect_plugin: ['proc'] },
        },
      };
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
}

function newDataSource(jsonData: NetdataOptions = {}) {
  const ds = new DataSource({ uid: 'nd', jsonData } as DataSourceInstanceSettings<NetdataOptions>, templateSrv);
  const getResource = jest
    .spyOn(ds, 'getResource')
    .mockImplementation(async (route: string, params?: unknown) => answer(route, (params ?? {}) as Params));
  return { ds, getResource };
}

/** Renders the editor as Grafana's variable editor does: onChange feeds the new query back in. */
function renderEditor(query: NetdataVariableQuery | string, ds = newDataSource().ds) {
  const onChange = jest.fn();
  const props = { datasource: ds, onRunQuery: jest.fn(), onChange };
  const view = render(<VariableQueryEditor {...props} query={query as NetdataVariableQuery} />);
  onChange.mockImplementation((next: NetdataVariableQuery) =>
    view.rerender(<VariableQueryEditor {...props} query={next} />)
  );
  const last = (): NetdataVariableQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];
  return { onChange, last };
}

const select = (id: string) => screen.getByLabelText(id) as HTMLSelectElement;
const optionTexts = (id: string) =>
  within(select(id))
    .getAllByRole('option')
    .filter((o) => (o as HTMLOptionElement).value !== '')
    .map((o) => o.textContent);
const picker = (id: string) => screen.getByTestId(new RegExp(`^${id}-(multi)?combobox$`));
const loaded = (id: string) => waitFor(() => expect(picker(id)).toHaveAttribute('data-loading', 'false'));
const searched = (id: string) => waitFor(() => expect(picker(id)).toHaveAttribute('data-searching', 'false'));
const shown = (id: string) => document.getElementById(id) !== null;

describe('VariableQueryEditor', () => {
  afterEach(() => jest.restoreAllMocks());

  it('starts a new variable as a node list with only the filter to fill in', async () => {
    const { onChange, last } = renderEditor('');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(last()).toEqual({ refId: 'NetdataVariableQuery', kind: 'nodes', query: 'nodes()' });
    expect(select(testIds.variableKind).value).toBe('nodes');
    expect(optionTexts(testIds.variableKind)).toEqual([
      'Nodes',
      'Contexts',
      'Dimensions',
      'Instances',
      'Label keys',
      'Label values',
    ]);
    expect(shown(testIds.variableFilter)).toBe(true);
    expect(shown(testIds.queryNodes)).toBe(false);
    expect(shown(testIds.queryContext)).toBe(false);
    expect(shown(testIds.variableLabelKey)).toBe(false);
    expect(screen.getByTestId(testIds.variableText)).toHaveTextContent('nodes()');
  });

  it('shows the fields of each kind and saves only what the kind uses', async () => {
    const { last } = renderEditor({ refId: 'V', kind: 'contexts', nodes: ['mg-1'], filter: 'disk.*' });
    await loaded(testIds.queryNodes);
    expect(shown(testIds.queryContext)).toBe(false);

    await userEvent.selectOptions(select(testIds.variableKind), 'labelValues');
    expect(last()).toEqual({
      refId: 'V',
      kind: 'labelValues',
      nodes: ['mg-1'],
      filter: 'disk.*',
      query: 'label_values(nodes=mg-1, filter=disk.*)',
    });
    expect(shown(testIds.queryNodes)).toBe(true);
    expect(shown(testIds.queryContext)).toBe(true);
    expect(shown(testIds.variableLabelKey)).toBe(true);

    await userEvent.selectOptions(select(testIds.variableKind), 'dimensions');
    expect(last().kind).toBe('dimensions');
    expect(shown(testIds.queryContext)).toBe(true);
    expect(shown(testIds.variableLabelKey)).toBe(false);

    await userEvent.selectOptions(select(testIds.variableKind), 'nodes');
    expect(last()).toEqual({ refId: 'V', kind: 'nodes', filter: 'disk.*', query: 'nodes(disk.*)' });
    expect(shown(testIds.queryNodes)).toBe(false);
  });

  it('builds a label values query from the pickers, offering the keys of the chosen context', async () => {
    const { last } = renderEditor({ refId: 'V', kind: 'labelValues' });
    await searched(testIds.queryContext);
    expect(optionTexts(testIds.queryContext)).toEqual(['disk.io', 'system.cpu']);

    await userEvent.selectOptions(select(testIds.queryNodes), ['mg-2']);
    expect(last().nodes).toEqual(['mg-2']);
    // The contexts offered are those of the chosen node.
    await loaded(testIds.queryContext);
    await userEvent.type(screen.getByLabelText(`${testIds.queryContext} search`), 'mysql');
    await searched(testIds.queryContext);
    expect(optionTexts(testIds.queryContext)).toEqual(['mysql.queries']);

    await userEvent.selectOptions(select(testIds.queryContext), 'mysql.queries');
    expect(last()).toMatchObject({ kind: 'labelValues', context: 'mysql.queries', nodes: ['mg-2'] });
    await loaded(testIds.variableLabelKey);
    expect(optionTexts(testIds.variableLabelKey)).toEqual(['device', '_collect_plugin']);

    await userEvent.selectOptions(select(testIds.variableLabelKey), 'device');
    const filter = document.getElementById(testIds.variableFilter) as HTMLInputElement;
    await userEvent.type(filter, 'sd*');
    await userEvent.tab();
    expect(last()).toEqual({
      refId: 'V',
      kind: 'labelValues',
      context: 'mysql.queries',
      nodes: ['mg-2'],
      labelKey: 'device',
      filter: 'sd*',
      query: 'label_values(mysql.queries, device, nodes=mg-2, filter=sd*)',
    });
    expect(screen.getByTestId(testIds.variableText)).toHaveTextContent(
      'label_values(mysql.queries, device, nodes=mg-2, filter=sd*)'
    );
  });

  it('takes a typed label key or $variable', async () => {
    const { last } = renderEditor({ refId: 'V', kind: 'labelValues', context: '$ctx' });
    await loaded(testIds.variableLabelKey);
    // A variable context may stand for several, which have no details together: that is not an error.
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(`${testIds.variableLabelKey} custom value`), '$key{Enter}');
    expect(last()).toMatchObject({ context: '$ctx', labelKey: '$key', query: 'label_values($ctx, $key)' });
  });

  it('reports a plain context whose labels cannot be loaded', async () => {
    renderEditor({ refId: 'V', kind: 'labelValues', context: 'gone.context' });
    await loaded(testIds.variableLabelKey);
    expect(
      screen.getByText(/Could not load the context's labels: Netdata has no context "gone.context"/)
    ).toBeInTheDocument();
  });

  it('shows a query saved in the text form and saves it as an object once', async () => {
    const { onChange, last } = renderEditor('label_values(disk.io, device, nodes=mg-1)');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(last()).toEqual({
      refId: 'NetdataVariableQuery',
      kind: 'labelValues',
      context: 'disk.io',
      nodes: ['mg-1'],
      labelKey: 'device',
      query: 'label_values(disk.io, device, nodes=mg-1)',
    });
    await loaded(testIds.variableLabelKey);
    expect(select(testIds.variableKind).value).toBe('labelValues');
    expect(select(testIds.queryContext).value).toBe('disk.io');
    expect(select(testIds.variableLabelKey).value).toBe('device');
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('leaves a saved object alone on open', async () => {
    const { onChange } = renderEditor({ refId: 'V', kind: 'dimensions', context: 'system.cpu' });
    await loaded(testIds.queryNodes);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('reports a text it cannot read and replaces it on the first change', async () => {
    const { onChange, last } = renderEditor('metrics(system.cpu)');
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByText('This variable query cannot be read')).toBeInTheDocument();
    expect(screen.getByText(/Unknown variable query "metrics\(system.cpu\)"/)).toBeInTheDocument();
    await userEvent.selectOptions(select(testIds.variableKind), 'contexts');
    expect(last()).toEqual({ refId: 'NetdataVariableQuery', kind: 'contexts', query: 'contexts()' });
    expect(screen.queryByText('This variable query cannot be read')).not.toBeInTheDocument();
  });

  it('offers the space and room on Netdata Cloud and looks up nodes there', async () => {
    const { ds, getResource } = newDataSource({ transport: 'cloud', spaceId: 's1', roomId: 'r1' });
    const { last } = renderEditor({ refId: 'V', kind: 'contexts' }, ds);
    await loaded(testIds.queryRoom);
    await userEvent.selectOptions(select(testIds.queryRoom), 'r2');
    expect(last()).toEqual({ refId: 'V', kind: 'contexts', roomId: 'r2', query: 'contexts(room=r2)' });
    await waitFor(() => expect(getResource).toHaveBeenCalledWith('nodes', { roomId: 'r2' }, { showErrorAlert: false }));
  });

  it('has no space and room on an agent', async () => {
    renderEditor({ refId: 'V', kind: 'contexts' });
    await loaded(testIds.queryNodes);
    expect(shown(testIds.querySpace)).toBe(false);
  });
});
