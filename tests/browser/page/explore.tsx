// The test page of the filter bar and logs browser test. What is Grafana's here: @grafana/runtime's
// DataSourceWithBackend (our DataSource's base class: it applies ad hoc filters through applyTemplateVariables and
// POSTs /api/ds/query, and getResource GETs the resource routes), @grafana/data's frame helpers and @grafana/ui's
// Combobox/Button. What is ours: the DataSource, a BackendSrv over window.fetch (set with setBackendSrv, as
// Grafana's app sets its own), a filter bar built from Combobox (Grafana's AdHocFilter UI lives in Grafana's app and
// in Scenes, not in the npm packages) that passes its filters as `request.filters` — what a Scenes dashboard does —
// and a minimal logs view (@grafana/ui 12.4.10 does not export LogRows: Grafana's logs panel is in Grafana's app).
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  AdHocVariableFilter,
  CoreApp,
  DataFrame,
  DataQueryRequest,
  DataSourceInstanceSettings,
  dateTime,
  FieldType,
  MetricFindValue,
  SupplementaryQueryType,
  urlUtil,
} from '@grafana/data';
import { BackendSrv, BackendSrvRequest, FetchResponse, setBackendSrv, TemplateSrv } from '@grafana/runtime';
import { Button, Combobox, GlobalStyles } from '@grafana/ui';
import { lastValueFrom, Observable } from 'rxjs';

import { DataSource } from '../../../src/datasource';
import type { NetdataOptions, NetdataQuery } from '../../../src/types';

export interface ExplorePageData {
  uid: string;
  /** The dashboard's queries: the filter bar's scope and what "Run" runs. */
  queries: NetdataQuery[];
  logsQuery: NetdataQuery;
  fromMs: number;
  toMs: number;
}

declare global {
  interface Window {
    __EXPLORE_PAGE__: ExplorePageData;
  }
}

const pageData = window.__EXPLORE_PAGE__;

/** Grafana's BackendSrv.fetch reduced to what DataSourceWithBackend uses: JSON over fetch, errors as {status, data}. */
function fetchJson(options: BackendSrvRequest): Observable<FetchResponse> {
  return new Observable((subscriber) => {
    const params = options.params ? urlUtil.serializeParams(options.params) : '';
    const url = params ? `${options.url}${options.url.includes('?') ? '&' : '?'}${params}` : options.url;
    window
      .fetch(url, {
        method: options.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
        body: options.data === undefined ? undefined : JSON.stringify(options.data),
      })
      .then(async (response) => {
        const data: unknown = await response.json().catch(() => undefined);
        if (!response.ok) {
          subscriber.error({ status: response.status, data });
          return;
        }
        subscriber.next({
          data,
          status: response.status,
          statusText: response.statusText,
          ok: true,
          headers: response.headers,
          redirected: false,
          type: response.type,
          url,
          config: options,
        });
        subscriber.complete();
      })
      .catch((err: unknown) => subscriber.error(err));
  });
}
setBackendSrv({ fetch: fetchJson } as unknown as BackendSrv);

const templateSrv = {
  replace: (text?: string) => text ?? '',
  getVariables: () => [],
  containsTemplate: () => false,
  updateTimeRange: () => {},
} as unknown as TemplateSrv;

const datasource = new DataSource(
  {
    uid: pageData.uid,
    type: 'seed-netdata-datasource',
    name: 'Netdata',
    access: 'proxy',
    jsonData: {},
    meta: {} as DataSourceInstanceSettings['meta'],
    readOnly: false,
  } as DataSourceInstanceSettings<NetdataOptions>,
  templateSrv
);

function request(targets: NetdataQuery[], filters: AdHocVariableFilter[], app: CoreApp) {
  const from = dateTime(pageData.fromMs);
  const to = dateTime(pageData.toMs);
  const req: DataQueryRequest<NetdataQuery> = {
    requestId: `page-${Date.now()}`,
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 60,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app,
    startTime: Date.now(),
    filters,
  };
  return req;
}

const options = (values: MetricFindValue[]) => values.map((v) => ({ label: v.text, value: String(v.value ?? v.text) }));

function FilterBar({ onRun }: { onRun: (filters: AdHocVariableFilter[]) => void }) {
  const [filters, setFilters] = useState<AdHocVariableFilter[]>([]);
  const [keys, setKeys] = useState<MetricFindValue[]>([]);
  const [key, setKey] = useState<string | null>(null);
  const [operator, setOperator] = useState('=');
  const [values, setValues] = useState<MetricFindValue[]>([]);
  const [value, setValue] = useState<string | null>(null);
  useEffect(() => {
    void datasource.getTagKeys({ filters, queries: pageData.queries }).then(setKeys);
  }, [filters]);
  useEffect(() => {
    setValues([]);
    if (key) {
      void datasource.getTagValues({ key, filters, queries: pageData.queries }).then(setValues);
    }
  }, [key, filters]);
  return (
    <div>
      <div style={{ display: 'flex', gap: 8 }}>
        <Combobox id="filter-key" options={options(keys)} value={key} onChange={(o) => setKey(o.value)} width={30} />
        <Combobox
          id="filter-operator"
          options={[{ value: '=' }, { value: '!=' }]}
          value={operator}
          onChange={(o) => setOperator(o.value)}
          width={10}
        />
        <Combobox
          id="filter-value"
          options={options(values)}
          value={value}
          onChange={(o) => setValue(o.value)}
          width={30}
        />
        <Button
          disabled={!key || !value}
          onClick={() => {
            setFilters([...filters, { key: key!, operator, value: value! }]);
            setValue(null);
          }}
        >
          Add filter
        </Button>
        <Button variant="secondary" onClick={() => onRun(filters)}>
          Run
        </Button>
      </div>
      <pre data-testid="filters">{JSON.stringify(filters)}</pre>
    </div>
  );
}

function fieldValues(frame: DataFrame, name: string): unknown[] {
  return frame.fields.find((f) => f.name === name)?.values ?? [];
}

/** A minimal logs view of a `log-lines` frame: time, level, labels, line. */
function LogLines({ frame }: { frame: DataFrame }) {
  const times = fieldValues(frame, 'timestamp');
  const bodies = fieldValues(frame, 'body');
  const levels = fieldValues(frame, 'severity');
  const labels = fieldValues(frame, 'labels') as Array<Record<string, string>>;
  return (
    <table data-testid="log-rows">
      <tbody>
        {times.map((t, i) => (
          <tr key={i} data-testid="log-row" data-level={String(levels[i])}>
            <td>{new Date(Number(t)).toISOString()}</td>
            <td data-testid="log-level">{String(levels[i])}</td>
            <td data-testid="log-labels">
              {Object.entries(labels[i] ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}
            </td>
            <td data-testid="log-body">{String(bodies[i])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Page() {
  const [result, setResult] = useState<unknown>(null);
  const [logs, setLogs] = useState<DataFrame | null>(null);
  const [volume, setVolume] = useState<Record<string, number> | null>(null);
  const runDashboard = async (filters: AdHocVariableFilter[]) => {
    const response = await lastValueFrom(datasource.query(request(pageData.queries, filters, CoreApp.Dashboard)));
    setResult({
      errors: (response.errors ?? []).map((e) => ({ refId: e.refId, message: e.message })),
      frames: response.data.map((f: DataFrame) => ({ refId: f.refId, series: f.fields.length - 1, rows: f.length })),
    });
  };
  const runLogs = async () => {
    const req = request([pageData.logsQuery], [], CoreApp.Explore);
    const response = await lastValueFrom(datasource.query(req));
    setLogs(response.data.find((f: DataFrame) => f.meta?.type === 'log-lines') ?? null);
    // Explore runs the logs volume as a supplementary request through the same query path.
    const volumeRequest = datasource.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, req);
    const volumeResponse = await lastValueFrom(datasource.query(volumeRequest!));
    const counts: Record<string, number> = {};
    for (const frame of volumeResponse.data as DataFrame[]) {
      const count = frame.fields.find((f) => f.type === FieldType.number);
      counts[count?.labels?.level ?? '?'] = (count?.values ?? []).reduce(
        (a: number, b: number | null) => a + (b ?? 0),
        0
      );
    }
    setVolume(counts);
  };
  return (
    <div style={{ padding: 16 }}>
      <GlobalStyles />
      <h3>Dashboard filter bar</h3>
      <FilterBar onRun={(filters) => void runDashboard(filters)} />
      <pre data-testid="dashboard-result">{result ? JSON.stringify(result) : ''}</pre>
      <h3>Logs</h3>
      <Button onClick={() => void runLogs()}>Run logs</Button>
      <pre data-testid="logs-volume">{volume ? JSON.stringify(volume) : ''}</pre>
      {logs && <LogLines frame={logs} />}
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Page />);
