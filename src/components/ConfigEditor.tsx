import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConfigSection, DataSourceDescription } from '@grafana/plugin-ui';
import { Divider, Field, Input, RadioButtonGroup, SecretInput } from '@grafana/ui';

import { DEFAULT_CLOUD_URL, DEFAULT_TIMEOUT_SECONDS, NetdataOptions, NetdataSecureJsonData, Transport } from '../types';
import { CloudDefaults } from './CloudDefaults';
import { testIds } from '../testIds';

type Props = DataSourcePluginOptionsEditorProps<NetdataOptions, NetdataSecureJsonData>;

const TRANSPORTS: Array<{ label: string; value: Transport; description: string }> = [
  { label: 'Agent', value: 'agent', description: 'A Netdata Agent or Parent reached directly' },
  { label: 'Netdata Cloud', value: 'cloud', description: 'Netdata Cloud spaces and rooms' },
];

const TEXT: Record<Transport, { url: string; urlDescription: string; token: string; tokenDescription: string }> = {
  agent: {
    url: 'Agent URL',
    urlDescription: 'Base URL of the Netdata Agent or Parent, as the Grafana server reaches it.',
    token: 'Bearer token',
    tokenDescription: 'Optional. Needed only when the agent has bearer protection enabled.',
  },
  cloud: {
    url: 'Netdata Cloud URL',
    urlDescription: 'Leave the default unless you run Netdata Cloud On-Prem.',
    token: 'API token',
    tokenDescription:
      'Create it in Netdata Cloud under User Settings → API Tokens with the scope scope:grafana-plugin.',
  },
};

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;
  const transport: Transport = jsonData.transport === 'cloud' ? 'cloud' : 'agent';
  const text = TEXT[transport];

  const onJsonDataChange = (patch: Partial<NetdataOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  const onTransportChange = (next: Transport) => {
    let url = options.url;
    if (next === 'cloud' && !url) {
      url = DEFAULT_CLOUD_URL;
    } else if (next === 'agent' && url === DEFAULT_CLOUD_URL) {
      url = '';
    }
    onOptionsChange({ ...options, url, jsonData: { ...jsonData, transport: next } });
  };

  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, token: event.target.value } });

  const onTokenReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, token: false },
      secureJsonData: { ...secureJsonData, token: '' },
    });

  const onTimeoutChange = (event: ChangeEvent<HTMLInputElement>) => {
    const seconds = Number(event.target.value);
    onJsonDataChange({ timeout: event.target.value !== '' && seconds > 0 ? seconds : undefined });
  };

  return (
    <>
      <DataSourceDescription dataSourceName="Netdata" docsLink="https://learn.netdata.cloud/" hasRequiredFields />
      <Divider />
      <ConfigSection title="Connection">
        <Field label="Connect to" description="Where Grafana reads the metrics from.">
          <RadioButtonGroup<Transport> options={TRANSPORTS} value={transport} onChange={onTransportChange} />
        </Field>
        <Field label={text.url} description={text.urlDescription} required>
          <Input
            id={testIds.configUrl}
            value={options.url ?? ''}
            placeholder={transport === 'cloud' ? DEFAULT_CLOUD_URL : 'http://localhost:19999'}
            width={60}
            onChange={(e: ChangeEvent<HTMLInputElement>) => onOptionsChange({ ...options, url: e.target.value.trim() })}
          />
        </Field>
      </ConfigSection>
      <Divider />
      <ConfigSection title="Authentication">
        <Field label={text.token} description={text.tokenDescription} required={transport === 'cloud'}>
          <SecretInput
            id={testIds.configToken}
            isConfigured={!!secureJsonFields?.token}
            value={secureJsonData?.token ?? ''}
            placeholder={transport === 'cloud' ? 'Netdata Cloud API token' : 'Agent bearer token'}
            width={60}
            onReset={onTokenReset}
            onChange={onTokenChange}
          />
        </Field>
      </ConfigSection>
      {transport === 'cloud' && (
        <>
          <Divider />
          <CloudDefaults options={options} onJsonDataChange={onJsonDataChange} />
        </>
      )}
      <Divider />
      <ConfigSection title="Additional settings" isCollapsible isInitiallyOpen={jsonData.timeout !== undefined}>
        <Field label="Timeout" description="Seconds to wait for Netdata before a query fails.">
          <Input
            id={testIds.configTimeout}
            type="number"
            min={1}
            value={jsonData.timeout ?? ''}
            placeholder={String(DEFAULT_TIMEOUT_SECONDS)}
            width={20}
            suffix="s"
            onChange={onTimeoutChange}
          />
        </Field>
      </ConfigSection>
    </>
  );
}
