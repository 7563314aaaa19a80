// Shapes of the Netdata 1.37 v1 API (netdata-api-extra.md §4): only what the plugin reads is typed.

/** A node of a v1 agent/Parent, from `/api/v1/info` `mirrored_hosts_status[]` (§4.1, §4.2). */
export interface V1Node {
  hostname: string;
  machineGuid: string;
  /** Cloud node id, only when claimed. */
  nodeId?: string;
  reachable: boolean;
  /** 0: the agent answering; 1+: a child streamed to it. */
  hops: number;
  /** Path prefix of the node's v1 API: '' for the agent itself, `/host/<hostname>` for a child (§4.1). */
  prefix: string;
}

export interface V1Info {
  version: string;
  hostname: string;
  nodes: V1Node[];
  /** `ml-info.enabled`; undefined when the agent was built without ML (§7.6). */
  mlEnabled?: boolean;
}

export interface V1Dimension {
  id: string;
  name: string;
}

/** One chart (= instance) of `/api/v1/charts` (§4.3). */
export interface V1Chart {
  id: string;
  name: string;
  context: string;
  /** Title without the ` (<chart name>)` suffix 1.37 appends. */
  title: string;
  units: string;
  family: string;
  priority: number;
  chartType: string;
  updateEvery: number;
  dimensions: V1Dimension[];
  labels: Record<string, string>;
}

/** `/api/v1/data?format=json&options=jsonwrap,…` (§4.5). */
export interface V1DataAnswer {
  viewUpdateEvery: number;
  updateEvery: number;
  /** Column i (0-based, after the time column). */
  dimensionIds: string[];
  dimensionNames: string[];
  /** Rows as sent: [time (s), value|null, …]. */
  rows: Array<Array<number | null>>;
}

/** One `/api/v1/alarm_log` entry (§4.6). */
export interface V1AlarmLogEntry {
  hostname: string;
  uniqueId: number;
  name: string;
  chart: string;
  context?: string;
  family?: string;
  component?: string;
  classification?: string;
  type?: string;
  when: number;
  status: string;
  oldStatus: string;
  value: number | null;
  oldValue: number | null;
  units?: string;
  info?: string;
}
