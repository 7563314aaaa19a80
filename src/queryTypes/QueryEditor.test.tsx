import React from 'react';
import { CoreApp, DataSourceInstanceSettings } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DataSource } from '../datasource';
import { QUERY_EXAMPLES } from '../help/examples';
import { QueryEditorHelp } from '../help/QueryEditorHelp';
import { parseCorrelationsQuery } from '../netdata/correlations';
import { parseCurrentAlertsQuery } from '../netdata/currentAlerts';
import { parseNodeInventoryQuery } from '../netdata/nodeInventory';
import { parseQuery } from '../netdata/query';
import { testIds } from '../testIds';
import type { NetdataOptions, NetdataQuery } from '../types';
import { QueryEditor } from './QueryEditor';

jest.mock('@grafana/ui', () => {
  const actual = jest.requireActual('@grafana/ui');
  const mock = jest.requireActual('../components/testing/mockCombobox');
  return { ...actual, Combobox: mock.Combobox, MultiCombobox: mock.MultiCombobox };
});

// userEvent drives many renders per test; on a loaded 2-core machine that exceeds jest's 5 s default.
jest.setTimeout(30_000);

const templateSrv = { replace: (t?: string) => t ?? '' } as unknown as TemplateSrv;

function newDataSource(jsonData: NetdataOptions = {}) {
  const ds = new DataSource({ uid: 'nd', jsonData } as DataSourceInstanceSettings<NetdataOptions>, templateSrv);
  const getResource = jest.spyOn(ds, 'getResource').mockImplementation(async (route: string, params?: unknown) => {
    const p = (params ?? {}) as Record<string, unknown>;
    switch (route) {
      case 'nodes':
        return {
          nodes: [
            { id: 'mg-1', machineGuid: 'mg-1', hostname: 'web1' },
            { id: 'mg-2', machineGuid: 'mg-2', hostname: 'db1' },
          ],
        };
      case 'contexts':
        return { contexts: [{ id: 'disk.io' }, { id: 'system.cpu' }] };
      case 'context':
        return p.context === 'disk.io'
          ? {
              context: {
                id: 'disk.io',
                dimensions: ['reads'],
                instances: ['disk.sda'],
                labels: { device: ['sda', 'sdb'] },
              },
            }
          : { context: { id: String(p.context), dimensions: ['user'], instances: [], labels: {} } };
      case 'spaces':
        return { spaces: [{ id: 's1', name: 'Ops' }] };
      case 'rooms':
        return { rooms: [{ id: 'r1', name: 'All nodes' }] };
    }
    throw { status: 404, data: { error: `no route ${route}` } };
  });
  return { ds, getResource };
}

function renderEditor(query: NetdataQuery, app: CoreApp = CoreApp.Explore, ds = newDataSource().ds) {
  const onRunQuery = jest.fn();
  const onChange = jest.fn();
  const props = { datasource: ds, onRunQuery, onChange, app } as const;
  const view = render(<QueryEditor {...props} query={query} />);
  onChange.mockImplementation((next: NetdataQuery) => view.rerender(<QueryEditor {...props} query={next} />));
  const last = (): NetdataQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];
  return { onChange, onRunQuery, last, ds };
}

const select = (id: string) => screen.getByLabelText(id) as HTMLSelectElement;
const optionTexts = (id: string) =>
  within(select(id))
    .getAllByRole('option')
    .filter((o) => (o as HTMLOptionElement).value !== '')
    .map((o) => o.textContent);
const selectedTexts = (id: string) =>
  within(screen.getByRole('list', { name: `${id} selected` }))
    .queryAllByRole('listitem')
    .map((li) => li.textContent);
const typeButton = (label: string) => within(screen.getByTestId(testIds.queryType)).getByLabelText(label);
const blurWith = async (id: string, text: string) => {
  const input = document.getElementById(id) as HTMLInputElement;
  await userEvent.clear(input);
  if (text) {
    await userEvent.type(input, text);
  }
  input.blur();
};

describe('query type selector', () => {
  it('offers every panel query type, metrics chosen for a query without a type', async () => {
    renderEditor({ refId: 'A', context: 'system.cpu' });
    const group = screen.getByTestId(testIds.queryType);
    expect(
      within(group)
        .getAllByRole('radio')
        .map((r) => r.getAttribute('aria-label') ?? r.id)
    ).toHaveLength(6);
    for (const label of ['Metrics', 'Correlations', 'Alerts', 'Nodes', 'Function', 'Logs']) {
      expect(within(group).getByText(label)).toBeInTheDocument();
    }
    expect((typeButton('Metrics') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByText('Alert transitions')).not.toBeInTheDocument();
  });

  it("switches type with that type's defaults, keeping nodes, space and room, and runs the query", async () => {
    const { last, onRunQuery } = renderEditor({
      refId: 'A',
      context: 'disk.io',
      nodes: ['mg-1'],
      dimensions: ['reads'],
      spaceId: 's1',
    });
    await userEvent.click(typeButton('Correlations'));
    expect(last()).toEqual({
      refId: 'A',
      queryType: 'correlations',
      contexts: '*',
      method: 'ks2',
      nodes: ['mg-1'],
      spaceId: 's1',
    });
    expect(onRunQuery).toHaveBeenCalled();
    await userEvent.click(typeButton('Metrics'));
    expect(last()).toMatchObject({ refId: 'A', queryType: 'metrics', context: 'system.cpu', nodes: ['mg-1'] });
  });

  it('has no selector in alert rules (only metrics can be alerted on)', () => {
    renderEditor({ refId: 'A', context: 'system.cpu' }, CoreApp.UnifiedAlerting);
    expect(screen.queryByTestId(testIds.queryType)).not.toBeInTheDocument();
  });

  it('says a query type is unknown and lets the user pick one', async () => {
    const { last } = renderEditor({ refId: 'A', queryType: 'bogus' });
    expect(screen.getByText('Unknown query type "bogus"')).toBeInTheDocument();
    await userEvent.click(typeButton('Nodes'));
    expect(last()).toEqual({ refId: 'A', queryType: 'nodes' });
  });
});

describe('correlations editor', () => {
  it('edits nodes, the contexts pattern, labels, method, baseline and rows', async () => {
    const { last } = renderEditor({ refId: 'A', queryType: 'correlations', contexts: '*', method: 'ks2' });
    await waitFor(() => expect(optionTexts(testIds.queryNodes)).toEqual(['web1', 'db1']));
    await userEvent.selectOptions(select(testIds.queryNodes), 'web1');
    expect(last()).toMatchObject({ queryType: 'correlations', nodes: ['mg-1'] });

    await blurWith(testIds.queryContexts, 'disk.io');
    expect(last().contexts).toBe('disk.io');
    // One context named: its labels are offered.
    await userEvent.click(screen.getByRole('button', { name: 'Add label filter' }));
    await waitFor(() => expect(optionTexts(testIds.queryLabelKey(0))).toEqual(['device']));
    await userEvent.selectOptions(select(testIds.queryLabelKey(0)), 'device');
    await userEvent.selectOptions(select(testIds.queryLabelValue(0)), 'sdb');
    expect(last().labels).toEqual([{ key: 'device', value: 'sdb' }]);

    expect(optionTexts(testIds.queryMethod)).toEqual(['ks2', 'volume', 'anomaly rate', 'value']);
    await blurWith(testIds.queryBaseline, '8');
    expect(last().baseline).toBe(8);
    await blurWith(testIds.queryRows, '20');
    expect(last().limit).toBe(20);
    await blurWith(testIds.queryRows, '0');
    expect(screen.getByText('Enter a whole number from 1 to 10000')).toBeInTheDocument();

    await userEvent.selectOptions(select(testIds.queryMethod), 'anomaly-rate');
    expect(last().method).toBe('anomaly-rate');
    // No baseline for anomaly rate.
    expect(document.getElementById(testIds.queryBaseline)).toBeDisabled();
  });

  it('an emptied contexts pattern means every context', async () => {
    const { last } = renderEditor({ refId: 'A', queryType: 'correlations', contexts: 'system.*' });
    await blurWith(testIds.queryContexts, '');
    expect(last().contexts).toBe('*');
  });
});

describe('alerts editor', () => {
  it('edits nodes, contexts, alert name and statuses (default CRITICAL and WARNING)', async () => {
    const { last } = renderEditor({ refId: 'A', queryType: 'alerts' });
    expect(optionTexts(testIds.queryStatuses)).toEqual(['CRITICAL', 'WARNING', 'CLEAR', 'UNDEFINED', 'UNINITIALIZED']);
    expect(selectedTexts(testIds.queryStatuses)).toEqual(['CRITICAL', 'WARNING']);
    await userEvent.selectOptions(select(testIds.queryStatuses), 'CLEAR');
    expect(last()).toMatchObject({ queryType: 'alerts', statuses: ['CRITICAL', 'WARNING', 'CLEAR'] });
    await blurWith(testIds.queryAlert, 'disk_space_*');
    expect(last().alert).toBe('disk_space_*');
    await blurWith(testIds.queryContexts, 'disk_space.*');
    expect(last().contexts).toBe('disk_space.*');
    await waitFor(() => expect(optionTexts(testIds.queryNodes)).toEqual(['web1', 'db1']));
  });
});

describe('logs editor', () => {
  it('saves the Volume switch as logsVolume, which the backend answers with the histogram', async () => {
    const { last, onRunQuery } = renderEditor({ refId: 'L', queryType: 'logs', function: 'systemd-journal' });
    const volume = document.getElementById('netdata-logs-volume') as HTMLInputElement;
    expect(volume.checked).toBe(false);
    await userEvent.click(volume);
    expect(last()).toMatchObject({ queryType: 'logs', logsVolume: true });
    expect(onRunQuery).toHaveBeenCalled();
    await userEvent.click(document.getElementById('netdata-logs-volume')!);
    expect(last().logsVolume).toBeUndefined();
  });
});

describe('nodes editor', () => {
  it('edits the nodes; on Netdata Cloud also the space and room', async () => {
    const { last } = renderEditor(
      { refId: 'A', queryType: 'nodes' },
      CoreApp.Dashboard,
      newDataSource({ transport: 'cloud' }).ds
    );
    await waitFor(() => expect(optionTexts(testIds.queryNodes)).toEqual(['web1', 'db1']));
    await userEvent.selectOptions(select(testIds.queryNodes), 'db1');
    expect(last()).toEqual({ refId: 'A', queryType: 'nodes', nodes: ['mg-2'] });
    await waitFor(() => expect(optionTexts(testIds.querySpace)).toEqual(['Ops']));
  });
});

describe('display text (Explore history)', () => {
  const { ds } = newDataSource();
  it.each([
    [
      { queryType: 'correlations', contexts: 'system.*', nodes: ['web1'], method: 'ks2' },
      'Correlations ks2 of system.* vs 4× baseline on web1 (top 50)',
    ],
    [
      { queryType: 'alerts', contexts: 'disk.*', alert: 'disk_space_*' },
      'Alerts CRITICAL, WARNING of disk.* (disk_space_*)',
    ],
    [{ queryType: 'nodes', nodes: ['web*', 'db1'] }, 'Nodes web*, db1'],
    [{ queryType: 'correlations', method: 'bogus' }, expect.stringMatching(/^Correlations \(invalid: .*method/)],
    [{ queryType: 'bogus' }, 'unknown query type bogus'],
  ])('%j', (q, text) => {
    expect(ds.getQueryDisplayText({ refId: 'A', ...q } as NetdataQuery)).toEqual(text);
  });
});

describe('query help', () => {
  it('has a valid example of every query type', () => {
    const parsers: Record<string, (q: unknown) => { ok: boolean }> = {
      metrics: parseQuery,
      correlations: parseCorrelationsQuery,
      alerts: parseCurrentAlertsQuery,
      nodes: parseNodeInventoryQuery,
    };
    expect(new Set(QUERY_EXAMPLES.map((e) => e.query.queryType))).toEqual(new Set(Object.keys(parsers)));
    for (const example of QUERY_EXAMPLES) {
      expect([example.name, parsers[example.query.queryType!](example.query).ok]).toEqual([example.name, true]);
    }
  });

  it('sets the query to a clicked example, keeping refId, space and room', async () => {
    const { ds } = newDataSource();
    const onClickExample = jest.fn();
    render(
      <QueryEditorHelp
        datasource={ds}
        query={{ refId: 'B', spaceId: 's1', context: 'x' }}
        onClickExample={onClickExample}
      />
    );
    await userEvent.click(screen.getByTestId(testIds.queryHelpExample('alerts')));
    expect(onClickExample).toHaveBeenCalledWith({
      refId: 'B',
      spaceId: 's1',
      queryType: 'alerts',
      contexts: '*',
      statuses: ['CRITICAL', 'WARNING'],
    });
  });
});
