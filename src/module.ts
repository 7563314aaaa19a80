import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './queryTypes/QueryEditor';
import { DataSource } from './datasource';
import { NetdataOptions, NetdataQuery, NetdataSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, NetdataQuery, NetdataOptions, NetdataSecureJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
