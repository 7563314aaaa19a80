import React from 'react';
import { DataSourceSettings } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { of, throwError } from 'rxjs';

import { DEFAULT_CLOUD_URL, NetdataOptions, NetdataSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';
import { testIds } from '../testIds';

jest.mock('@grafana/ui', () => {
  const mock = jest.requireActual('./testing/mockCombobox');
  return { ...jest.requireActual('@grafana/ui'), Combobox: mock.Combobox, MultiCombobox: mock.MultiCombobox };
});

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

type Settings = DataSourceSettings<NetdataOptions, NetdataSecureJsonData>;

function settings(patch: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'nd-uid',
    orgId: 1,
    name: 'Netdata',
    type: 'seed-netdata-datasource',
    typeName: 'Netdata',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    version: 1,
    jsonData: {},
    secureJsonFields: {},
    ...patch,
  } as Settings;
}

/** Renders the editor the way Grafana does: every onOptionsChange re-renders it with the new settings. */
function renderEditor(initial: Settings) {
  const onOptionsChange = jest.fn();
  const view = render(<ConfigEditor options={initial} onOptionsChange={onOptionsChange} />);
  onOptionsChange.mockImplementation((next: Settings) =>
    view.rerender(<ConfigEditor options={next} onOptionsChange={onOptionsChange} />)
  );
  const last = (): Settings => onOptionsChange.mock.calls[onOptionsChange.mock.calls.length - 1][0];
  return { onOptionsChange, last };
}

beforeEach(() => {
  fetch.mockReset();
});

describe('ConfigEditor', () => {
  it('shows Agent fields by default and Cloud fields after switching transport', async () => {
    const { last } = renderEditor(settings());
    expect(screen.getByLabelText(/^Agent URL/)).toHaveAttribute('id', testIds.configUrl);
    expect(screen.getByLabelText(/^Bearer token/)).toHaveAttribute('id', testIds.configToken);
    expect(screen.getByPlaceholderText('http://localhost:19999')).toBeInTheDocument();
    expect(screen.queryByText('Default space')).not.toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Netdata Cloud'));

    expect(last().jsonData.transport).toBe('cloud');
    // An empty URL gets Netdata Cloud's address, still editable.
    expect(last().url).toBe(DEFAULT_CLOUD_URL);
    expect(screen.getByLabelText(/^Netdata Cloud URL/)).toHaveValue(DEFAULT_CLOUD_URL);
    expect(screen.getByLabelText(/^API token/)).toHaveAttribute('id', testIds.configToken);
    expect(screen.getByText(/scope:grafana-plugin/)).toBeInTheDocument();
    expect(screen.getByText('Default space')).toBeInTheDocument();
    expect(screen.getByText('Default room')).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Agent'));
    expect(last().jsonData.transport).toBe('agent');
    expect(last().url).toBe('');
    expect(screen.queryByText('Default space')).not.toBeInTheDocument();
  });

  it('keeps a custom URL when switching transport', async () => {
    const { last } = renderEditor(settings({ url: 'http://parent:19999' }));
    await userEvent.click(screen.getByLabelText('Netdata Cloud'));
    expect(last().url).toBe('http://parent:19999');
  });

  it('puts the token only into secureJsonData', async () => {
    const { last } = renderEditor(settings({ url: 'http://agent:19999' }));
    await userEvent.type(screen.getByPlaceholderText('Agent bearer token'), 's3cret');
    const saved = last();
    expect(saved.secureJsonData).toEqual({ token: 's3cret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret');
    expect(JSON.stringify({ ...saved, secureJsonData: undefined })).not.toContain('s3cret');
  });

  it('resets a configured token', async () => {
    const { onOptionsChange, last } = renderEditor(
      settings({ secureJsonFields: { token: true }, jsonData: { transport: 'agent', timeout: 10 } })
    );
    expect(screen.getByDisplayValue('configured')).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));

    expect(onOptionsChange).toHaveBeenCalledTimes(1);
    expect(last().secureJsonFields).toEqual({ token: false });
    expect(last().secureJsonData).toEqual({ token: '' });
    expect(last().jsonData).toEqual({ transport: 'agent', timeout: 10 });
    expect(screen.getByPlaceholderText('Agent bearer token')).toBeEnabled();
  });

  it('stores the timeout as a number of seconds', async () => {
    const { last } = renderEditor(settings({ jsonData: { timeout: 5 } }));
    const input = screen.getByDisplayValue('5');
    await userEvent.clear(input);
    expect(last().jsonData.timeout).toBeUndefined();
    await userEvent.type(input, '45');
    expect(last().jsonData.timeout).toBe(45);
  });

  it('asks to save before loading Cloud spaces, and takes typed ids meanwhile', async () => {
    const { last } = renderEditor(settings({ url: DEFAULT_CLOUD_URL, jsonData: { transport: 'cloud' } }));
    expect(screen.getByText(/Save the data source with a Cloud API token/)).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();

    const space = screen.getByPlaceholderText('Space id');
    await userEvent.type(space, 'space-1');
    await userEvent.tab();
    expect(last().jsonData.spaceId).toBe('space-1');
  });

  it('picks the default space and room from the backend lists once the token is saved', async () => {
    fetch.mockImplementation(({ url, params }: { url: string; params: Record<string, string> }) => {
      if (url === '/api/datasources/uid/nd-uid/resources/spaces') {
        return of({
          data: {
            spaces: [
              { id: 's1', name: 'Ops' },
              { id: 's2', name: 'Dev' },
            ],
          },
        });
      }
      if (url === '/api/datasources/uid/nd-uid/resources/rooms' && params.spaceId === 's2') {
        return of({ data: { rooms: [{ id: 'r9', name: 'All nodes' }] } });
      }
      return throwError(() => new Error(`unexpected ${url}`));
    });
    const { last } = renderEditor(
      settings({ url: DEFAULT_CLOUD_URL, jsonData: { transport: 'cloud' }, secureJsonFields: { token: true } })
    );

    const space = await screen.findByRole('option', { name: 'Dev' });
    await userEvent.selectOptions(screen.getByLabelText(testIds.configSpace), space);
    expect(last().jsonData.spaceId).toBe('s2');

    await userEvent.selectOptions(
      screen.getByLabelText(testIds.configRoom),
      await screen.findByRole('option', { name: 'All nodes' })
    );
    expect(last().jsonData).toMatchObject({ transport: 'cloud', spaceId: 's2', roomId: 'r9' });
    expect(fetch).toHaveBeenCalledWith(expect.objectContaining({ showErrorAlert: false }));
  });

  it('shows why spaces could not load and falls back to typing the id', async () => {
    fetch.mockReturnValue(
      throwError(() => ({ status: 401, data: { error: 'Netdata Cloud rejected the API token (401)' } }))
    );
    renderEditor(
      settings({
        url: DEFAULT_CLOUD_URL,
        jsonData: { transport: 'cloud', spaceId: 's1' },
        secureJsonFields: { token: true },
      })
    );
    expect(await screen.findByText(/Could not load spaces: Netdata Cloud rejected the API token/)).toBeInTheDocument();
    expect(screen.getByDisplayValue('s1')).toBeInTheDocument();
  });
});
