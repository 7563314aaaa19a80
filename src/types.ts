import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import type { NetdataQueryModel } from './netdata/types';

export type Transport = 'agent' | 'cloud';

/** A Grafana query of this data source: the saved Netdata query model, every field optional in saved JSON. */
export interface NetdataQuery extends DataQuery, Partial<NetdataQueryModel> {}

/** Defaults for a new query in a dashboard or Explore: every agent and Cloud room has `system.cpu`. */
export const DEFAULT_QUERY: Partial<NetdataQuery> = {
  context: 'system.cpu',
  groupBy: ['dimension'],
  aggregation: 'avg',
  timeGroup: 'average',
};

/** Defaults for a new alert rule query: one series per node (total CPU utilisation), the natural alert instance. */
export const DEFAULT_ALERTING_QUERY: Partial<NetdataQuery> = {
  context: 'system.cpu',
  groupBy: ['node'],
  aggregation: 'sum',
  timeGroup: 'average',
};

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_CLOUD_URL = 'https://app.netdata.cloud';

/** Data source settings kept in jsonData (public contract: provisioning files use these names). */
export interface NetdataOptions extends DataSourceJsonData {
  transport?: Transport;
  /** Netdata Cloud default space and room. */
  spaceId?: string;
  roomId?: string;
  /** Seconds; the backend defaults to 30. */
  timeout?: number;
}

/** Settings kept encrypted by Grafana and only ever sent to the backend. */
export interface NetdataSecureJsonData {
  /** Agent bearer token or Netdata Cloud API token. */
  token?: string;
}
