// Shared shapes of the Netdata core. Pure types: importable from the frontend, the backend and tests.

/** Netdata group-by words (netdata-api.md §3.1). */
export type GroupByWord =
  'dimension' | 'instance' | 'node' | 'label' | 'context' | 'units' | 'percentage-of-instance' | 'selected';

/** Aggregation across the series of one group (netdata-api.md §3.1). */
export type Aggregation = 'avg' | 'sum' | 'min' | 'max' | 'percentage' | 'extremes';

/** Time aggregation inside one point (netdata-api.md §3.3), main names only. */
export type TimeGroup =
  | 'average'
  | 'min'
  | 'max'
  | 'sum'
  | 'incremental-sum'
  | 'median'
  | 'trimmed-median'
  | 'trimmed-mean'
  | 'percentile'
  | 'stddev'
  | 'cv'
  | 'ses'
  | 'des'
  | 'countif'
  | 'extremes';

export interface LabelFilter {
  key: string;
  value: string;
  /** Explore's "filter out value": Netdata cannot exclude by label, so a query holding such a row fails, naming it. */
  exclude?: boolean;
}

/**
 * The saved query model (public contract: dashboards, provisioning and alert rules store these names).
 * Everything except `context` is optional in saved JSON; `parseQuery` fills defaults.
 */
export interface NetdataQueryModel {
  context: string;
  nodes: string[];
  instances: string[];
  dimensions: string[];
  labels: LabelFilter[];
  groupBy: GroupByWord[];
  groupByLabels: string[];
  aggregation: Aggregation;
  timeGroup: TimeGroup;
  /** Option of the time group: percent for percentile/trimmed-*, condition such as `>0` for countif. */
  timeGroupOptions?: string;
  /** dbengine tier; undefined lets Netdata choose. */
  tier?: number;
  /** `{{label}}` template over the series labels, rendered into `displayNameFromDS` where frames are made (legend.ts). */
  legendFormat?: string;
  /** Adds one series per output dimension with its anomaly rate (`arp`, percent 0–100). */
  anomalyRate?: boolean;
  /** Netdata option `nonzero`: hide output dimensions whose values are all zero. */
  nonZero?: boolean;
  /** Netdata option `percentage`: each dimension as a percentage of the row total (values become absolute). */
  percentage?: boolean;
  /**
   * Keep the N series contributing most and fold the rest into one `remaining K dimensions` series (agent
   * `cardinality_limit` = N + 1, agents ≥ v2.6; older agents return every series).
   */
  limit?: number;
  /**
   * Live panel (Grafana Live): the answer is one wide frame on a `ds/<uid>/metrics/<id>` channel, and the backend's
   * RunStream appends each new row as Netdata collects it.
   */
  live?: boolean;
  /** Cloud only: override the data source's default space / room. */
  spaceId?: string;
  roomId?: string;
}

/** What a query needs from Grafana's request besides the model. */
export interface QueryWindow {
  fromMs: number;
  toMs: number;
  maxDataPoints: number;
  intervalMs: number;
}

/** A GET against an Agent/Parent: path with query string, relative to the base URL. */
export interface AgentRequest {
  method: 'GET';
  /** e.g. `/api/v3/data?scope_contexts=system.cpu&...` */
  path: string;
}

/** A POST against Netdata Cloud, relative to the base URL. */
export interface CloudRequest {
  method: 'POST';
  /** e.g. `/api/v3/spaces/{space}/rooms/{room}/data` */
  path: string;
  body: CloudDataBody;
}

/** Body of `POST /api/v3/spaces/{space}/rooms/{room}/data` (netdata-api.md §6.3). */
export interface CloudDataBody {
  scope: {
    contexts: string[];
    nodes?: string[];
    instances?: string[];
    dimensions?: string[];
    labels?: string[];
  };
  selectors: {
    contexts: string[];
    nodes: string[];
    instances: string[];
    dimensions: string[];
    labels: string[];
    alerts: string[];
  };
  window: { after: number; before: number; points: number; tier?: number | null };
  aggregations: {
    metrics: Array<{ group_by: GroupByWord[]; group_by_label: string[]; aggregation: Aggregation }>;
    time: { time_group: TimeGroup; time_group_options?: string | null; time_resampling: number };
  };
  format: 'json2';
  options: string[];
  timeout: number;
  /** Top-N series plus one `remaining` series (Cloud's `limit`, as the agent's `limit`). */
  limit?: number;
}

// ---- Alert transitions (netdata-api.md §4.6, §6.4): the annotation query.

/** New statuses an annotation query may ask for (Netdata stores only transitions touching WARNING/CRITICAL). */
export type AlertTransitionStatus = 'CRITICAL' | 'WARNING' | 'CLEAR';

/** The saved alert annotation query, validated (`parseAlertQuery`). */
export interface AlertQueryModel {
  nodes: string[];
  /** Exact context id (Netdata compares with SQL equality, not a pattern). */
  context?: string;
  /** Exact alert name. */
  alert?: string;
  alertStatuses: AlertTransitionStatus[];
  spaceId?: string;
  roomId?: string;
}

/** Body of `POST /api/v2/spaces/{space}/rooms/{room}/alert_transitions` (netdata-api.md §6.4). */
export interface CloudAlertTransitionsBody {
  after: number;
  before: number;
  status: AlertTransitionStatus[];
  last: number;
  node_ids?: string[];
  alert_names?: string[];
  context?: string[];
}

export interface CloudAlertTransitionsRequest {
  method: 'POST';
  path: string;
  body: CloudAlertTransitionsBody;
}

/** One alert transition, as read from Netdata (missing optional keys stay undefined). */
export interface AlertTransition {
  alert: string;
  /** Epoch seconds. */
  when: number;
  transitionId?: string;
  machineGuid?: string;
  nodeId?: string;
  hostname?: string;
  instance?: string;
  instanceName?: string;
  context?: string;
  component?: string;
  classification?: string;
  type?: string;
  info?: string;
  summary?: string;
  units?: string;
  newStatus: string;
  newValue: number | null;
  oldStatus: string;
  oldValue: number | null;
}

// ---- json2 response (netdata-api.md §3.5/§3.6). Only what we read is typed; extra keys are tolerated.

export interface Json2NodeStatus {
  ai?: number;
  code?: number;
  msg?: string;
  ms?: number;
}

export interface Json2SummaryNode {
  mg: string;
  nd?: string;
  nm: string;
  ni: number;
  st?: Json2NodeStatus;
}

export interface Json2Dimensions {
  grouped_by?: string[];
  ids: string[];
  names?: string[];
  units?: string[];
  priorities?: number[];
  aggregated?: number[];
  labels?: Record<string, Array<string[] | null>>;
}

export interface Json2Response {
  api: number;
  summary?: {
    nodes?: Json2SummaryNode[];
    /**
     * Nodes the series limit folded into a `__remaining_nodes__` entry (v2.6–v2.10, netdata-api-extra.md §8.1):
     * `nodes` then lists only the top ones, so it is not the query's node list.
     */
    remainingNodes?: number;
    [k: string]: unknown;
  };
  result: {
    labels: string[];
    /** Position of each item in a point array; missing keys fall back to value 0, arp 1, pa 2. */
    point?: Record<string, number>;
    /** Rows: [time, point, point, ...]; time is seconds, ms or an RFC 3339 string. */
    data: unknown[][];
  };
  db?: {
    units?: string | string[];
    update_every?: number;
    /** Points each tier gave the answer (tiers.ts: a statistic read from higher tiers is not exact). */
    per_tier?: Array<{ tier: number; points: number }>;
    [k: string]: unknown;
  };
  view: {
    title?: string;
    update_every?: number;
    after?: number | string;
    before?: number | string;
    units?: string | string[];
    chart_type?: string;
    dimensions: Json2Dimensions;
    min?: number | null;
    max?: number | null;
  };
  agents?: Array<{ mg: string; nd?: string | null; nm: string; now?: number | string; ai?: number }>;
}

// ---- Frames: a Grafana-shaped, runtime-free frame model. The backend encodes it to Arrow.

export interface FrameNotice {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

/** Subset of Grafana's FrameMeta that the Go reader accepts (grafana-backend-protocol.md §3.2). */
export interface FrameMeta {
  type?: 'timeseries-multi' | 'timeseries-wide' | 'table' | 'log-lines' | 'numeric-wide';
  /** Grafana Live channel (`ds/<datasource uid>/<path>`): the frontend subscribes to it for more rows. */
  channel?: string;
  preferredVisualisationType?: 'table' | 'logs' | 'graph';
  typeVersion?: [number, number];
  executedQueryString?: string;
  notices?: FrameNotice[];
  custom?: Record<string, unknown>;
}

/** Subset of Grafana's FieldConfig (grafana-backend-protocol.md §3.3). */
export interface FieldConfig {
  displayName?: string;
  displayNameFromDS?: string;
  unit?: string;
  decimals?: number;
  min?: number | null;
  max?: number | null;
  interval?: number;
  /** Data links: `url` (Grafana variables such as `${__data.fields.context}` allowed) or `internal` (Explore). */
  links?: DataLink[];
  /** Value mappings (Grafana's `{type, options}` form, as the Go SDK reads them). */
  mappings?: ValueMapping[];
  /** Panel-specific options (table: `hidden`, `filterable`, `cellOptions`). */
  custom?: Record<string, unknown>;
}

/** A data link as Grafana's Go SDK reads it (`data.DataLink`): unknown keys would be dropped on the way. */
export interface DataLink {
  title: string;
  url?: string;
  targetBlank?: boolean;
  internal?: {
    datasourceUid: string;
    datasourceName?: string;
    query: Record<string, unknown>;
    /** The SDK's name for the link's time range (RFC 3339). */
    timeRange?: { from: string; to: string };
  };
}

/** A `value` mapping: exact values → display text and colour. */
export interface ValueMapping {
  type: 'value';
  options: Record<string, { text?: string; color?: string; index?: number }>;
}

export interface TimeField {
  name: string;
  type: 'time';
  /** Epoch milliseconds, ascending. */
  values: number[];
  config?: FieldConfig;
}

export interface NumberField {
  name: string;
  type: 'number';
  values: Array<number | null>;
  labels?: Record<string, string>;
  config?: FieldConfig;
}

/** Text values (Arrow Utf8); annotation frames carry their title, text and tags in these. */
export interface StringField {
  name: string;
  type: 'string';
  values: Array<string | null>;
  config?: FieldConfig;
  /** false: a non-nullable column (no null in `values`), as the logs data plane requires of `body`. */
  nullable?: false;
}

/** JSON values (Arrow Binary, tstype `other`): the logs data plane's `labels` field holds one object per row. */
export interface JsonField {
  name: string;
  type: 'other';
  values: Array<Record<string, string> | null>;
  config?: FieldConfig;
  /** false: a non-nullable column (the Go SDK's json.RawMessage rather than *json.RawMessage). */
  nullable?: false;
}

export type Field = TimeField | NumberField | StringField | JsonField;

export interface Frame {
  name?: string;
  refId: string;
  meta?: FrameMeta;
  fields: Field[];
}

/** Result of validating untrusted input. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };
