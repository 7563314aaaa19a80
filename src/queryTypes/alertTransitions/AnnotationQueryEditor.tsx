import React from 'react';
import type { QueryEditorProps } from '@grafana/data';

import type { CatalogDataSource } from '../../catalog';
import type { NetdataOptions, NetdataQuery } from '../../types';
import { AlertTransitionsEditor } from './AlertTransitionsEditor';

/** The annotation editor Grafana mounts (AnnotationSupport.QueryEditor): alert transitions over the catalog. */
export function AnnotationQueryEditor({
  datasource,
  query,
  onChange,
  onRunQuery,
}: QueryEditorProps<CatalogDataSource, NetdataQuery, NetdataOptions>) {
  return (
    <AlertTransitionsEditor catalog={datasource.catalog} query={query} onChange={onChange} onRunQuery={onRunQuery} />
  );
}
