// The test page of the browser test: the real QueryEditor with a DataSource whose look-ups answer canned Netdata
// catalog data (injected by the test as window.__NETDATA_CANNED__). Every onChange is printed as JSON into a <pre>.
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CoreApp, DataSourceInstanceSettings } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { GlobalStyles } from '@grafana/ui';

import { QueryEditor } from '../../../src/queryTypes/QueryEditor';
import { DataSource } from '../../../src/datasource';
import type { NetdataOptions, NetdataQuery } from '../../../src/types';
import { testIds } from '../../../src/testIds';

export interface Canned {
  nodes: unknown[];
  contexts: unknown[];
  /** Context details by context id. */
  details: Record<string, unknown>;
  /** Milliseconds every look-up takes. */
  latencyMs: number;
  query: NetdataQuery;
  jsonData: NetdataOptions;
}

declare global {
  interface Window {
    __NETDATA_CANNED__: Canned;
    /** Every look-up the editor made: route and params. */
    __NETDATA_CALLS__: Array<{ route: string; params: Record<string, unknown> }>;
  }
}

const canned = window.__NETDATA_CANNED__;
window.__NETDATA_CALLS__ = [];

const templateSrv = {
  replace: (text?: string) => text ?? '',
  getVariables: () => [],
  containsTemplate: () => false,
  updateTimeRange: () => {},
} as unknown as TemplateSrv;

const datasource = new DataSource(
  {
    uid: 'netdata-test',
    type: 'seed-netdata-datasource',
    name: 'Netdata',
    access: 'proxy',
    jsonData: canned.jsonData,
    meta: {} as DataSourceInstanceSettings['meta'],
    readOnly: false,
  } as DataSourceInstanceSettings<NetdataOptions>,
  templateSrv
);

datasource.getResource = (async (route: string, params?: unknown) => {
  window.__NETDATA_CALLS__.push({ route, params: (params ?? {}) as Record<string, unknown> });
  await new Promise((resolve) => setTimeout(resolve, canned.latencyMs));
  switch (route) {
    case 'nodes':
      return { nodes: canned.nodes };
    case 'contexts':
      return { contexts: canned.contexts };
    case 'context': {
      const id = String((params as Record<string, unknown>).context);
      if (canned.details[id]) {
        return { context: canned.details[id] };
      }
      throw { status: 404, data: { error: `Context ${id} not found` } };
    }
    default:
      throw { status: 400, data: { error: `No route ${route} in this test page` } };
  }
}) as DataSource['getResource'];

function Page() {
  const [query, setQuery] = useState<NetdataQuery>(canned.query);
  const [runs, setRuns] = useState(0);
  return (
    <div style={{ padding: 16 }}>
      <GlobalStyles />
      <QueryEditor
        app={CoreApp.PanelEditor}
        datasource={datasource}
        query={query}
        onChange={setQuery}
        onRunQuery={() => setRuns((n) => n + 1)}
      />
      <h4 style={{ marginTop: 24 }}>
        Saved query (runs: <span data-testid={testIds.pageRuns}>{runs}</span>)
      </h4>
      <pre data-testid={testIds.pageSavedQuery}>{JSON.stringify(query, null, 2)}</pre>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Page />);
