import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { DataSource } from './datasource';
import { QueryEditorHelp } from './help/QueryEditorHelp';
import { QueryEditor } from './queryTypes/QueryEditor';
import { NetdataOptions, NetdataQuery, NetdataSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, NetdataQuery, NetdataOptions, NetdataSecureJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor)
  .setQueryEditorHelp(QueryEditorHelp);
