import type { CoreApp, PanelData } from '@grafana/data';

import type { NetdataCatalog } from '../catalog';
import type { NetdataQuery } from '../types';

/** What the editor of one query type gets: the catalog, never the data source class. */
export interface QueryTypeEditorProps {
  catalog: NetdataCatalog;
  query: NetdataQuery;
  onChange: (query: NetdataQuery) => void;
  onRunQuery: () => void;
  app?: CoreApp;
  data?: PanelData;
}
