import type { AdHocVariableFilter, CoreApp, QueryFixAction, ScopedVars, ToggleFilterAction } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import type { ComponentType } from 'react';

import type { Result } from '../netdata/types';
import type { NetdataQuery } from '../types';
import type { QueryTypeEditorProps } from './editorProps';

/** Everything the frontend knows about one query type; the data source and the query editor dispatch through it. */
export interface QueryTypeDefinition {
  queryType: string;
  label: string;
  description: string;
  /** Offered by the query type selector of panels and Explore (annotation-only types are not). */
  selectable: boolean;
  Editor: ComponentType<QueryTypeEditorProps>;
  /** A saved query of an earlier shape in the current one (identity for types that never changed). */
  migrate: (query: NetdataQuery) => NetdataQuery;
  /** The fields a new query of this type starts with (queryType included). */
  defaultQuery: (app: CoreApp) => Partial<NetdataQuery>;
  /** Whether the query can run (DataSourceApi.filterQuery); hidden queries are dropped before this is asked. */
  isRunnable: (query: NetdataQuery) => boolean;
  /** One line for query history and the alert rule list. */
  displayText: (query: NetdataQuery) => string;
  /** Dashboard variables resolved. */
  interpolate: (query: NetdataQuery, scopedVars: ScopedVars, templateSrv: TemplateSrv) => NetdataQuery;
  /** The dashboard's ad hoc filters applied (types that take them), or why Netdata cannot apply them. */
  applyAdHocFilters?: (query: NetdataQuery, filters: readonly AdHocVariableFilter[]) => Result<NetdataQuery>;
  /** Explore: filter for / out a series label value (legend, table cell). */
  modifyQuery?: (query: NetdataQuery, action: QueryFixAction) => NetdataQuery;
  toggleFilter?: (query: NetdataQuery, action: ToggleFilterAction) => NetdataQuery;
  hasFilter?: (query: NetdataQuery, filter: { key?: string; value?: string; operator?: string }) => boolean;
}
