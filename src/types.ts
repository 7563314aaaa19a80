import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import type { CorrelationsQueryModel } from './netdata/correlations';
import type { CurrentAlertsQueryModel } from './netdata/currentAlerts';
import type { AlertTransitionStatus, NetdataQueryModel } from './netdata/types';

export type Transport = 'agent' | 'cloud';

/**
 * A Grafana query of this data source: the saved model of its query type (`queryType`; none means metrics), every
 * field optional in saved JSON. The types share field names where they mean the same (nodes, labels, spaceId, …).
 */
export interface NetdataQuery
  extends
    DataQuery,
    Partial<NetdataQueryModel>,
    Partial<Omit<CorrelationsQueryModel, 'queryType'>>,
    Partial<Omit<CurrentAlertsQueryModel, 'queryType'>> {
  /**
   * Alert annotation queries (`alertTransitions`): exact alert name and the new statuses to show. Current alerts
   * (`alerts`): a pattern on the alert name.
   */
  alert?: string;
  alertStatuses?: AlertTransitionStatus[];
  /** Function and logs queries: the function, its arguments, the node; logs: search, facet filters, label fields. */
  function?: string;
  args?: string;
  node?: string;
  search?: string;
  filters?: Record<string, string[]>;
  labelFields?: string[];
  anchor?: number;
  /** Logs: answer the lines-per-level histogram instead of the lines (Explore's logs volume, graph panels). */
  logsVolume?: boolean;
}

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

/** What a query variable lists. */
export type NetdataVariableKind = 'nodes' | 'contexts' | 'dimensions' | 'instances' | 'labelKeys' | 'labelValues';

/**
 * A query variable of this data source (saved in the dashboard's variable). Strings may hold `$variables`.
 * `query` is the same query in the text form (`label_values(disk.io, device)`), shown as the variable's
 * definition; a saved query with only that text (jsonnet, provisioning) is read from it.
 */
export interface NetdataVariableQuery extends DataQuery {
  kind: NetdataVariableKind;
  /** dimensions, instances, labelKeys, labelValues: the context (chart type) to read. */
  context?: string;
  /** Only what these nodes collect (not for `nodes`); empty means all. */
  nodes?: string[];
  /** labelValues: the label key. */
  labelKey?: string;
  /** Keeps values whose text matches: a Netdata pattern (`web*`, `!idle,*`) or a `/regex/flags`. */
  filter?: string;
  /** Netdata Cloud: space and room overriding the data source's defaults. */
  spaceId?: string;
  roomId?: string;
  query?: string;
}
