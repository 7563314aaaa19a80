// Decoded pluginv2 messages as descriptor.ts hands them over (protobufjs toObject with CONVERSION):
// original field names, int64 as number, enums as numbers, bytes as Buffer, every field defaulted
// (missing sub-messages are null).

export interface DataSourceInstanceSettingsMsg {
  id: number;
  name: string;
  url: string;
  user: string;
  database: string;
  basicAuthEnabled: boolean;
  basicAuthUser: string;
  jsonData: Buffer;
  decryptedSecureJsonData: Record<string, string>;
  lastUpdatedMS: number;
  uid: string;
  apiVersion: string;
}

export interface PluginContextMsg {
  orgId: number;
  pluginId: string;
  user: { login: string; name: string; email: string; role: string } | null;
  dataSourceInstanceSettings: DataSourceInstanceSettingsMsg | null;
  grafanaConfig: Record<string, string>;
  pluginVersion: string;
  userAgent: string;
  apiVersion: string;
  namespace: string;
}

export interface TimeRangeMsg {
  fromEpochMS: number;
  toEpochMS: number;
}

export interface DataQueryMsg {
  refId: string;
  maxDataPoints: number;
  intervalMS: number;
  timeRange: TimeRangeMsg | null;
  json: Buffer;
  queryType: string;
}

export interface QueryDataRequestMsg {
  pluginContext: PluginContextMsg | null;
  headers: Record<string, string>;
  queries: DataQueryMsg[];
  format: number;
}

export interface DataResponseMsg {
  frames: Uint8Array[];
  error?: string;
  status: number;
  errorSource?: 'plugin' | 'downstream' | '';
  format?: number;
}

export interface QueryDataResponseMsg {
  responses: Record<string, DataResponseMsg>;
}

export interface CheckHealthRequestMsg {
  pluginContext: PluginContextMsg | null;
  headers: Record<string, string>;
}

export const HealthStatus = { UNKNOWN: 0, OK: 1, ERROR: 2 } as const;

export interface CheckHealthResponseMsg {
  status: (typeof HealthStatus)[keyof typeof HealthStatus];
  message: string;
  jsonDetails?: Buffer;
}

export interface CollectMetricsRequestMsg {
  pluginContext: PluginContextMsg | null;
}

export interface CollectMetricsResponseMsg {
  metrics: { prometheus: Buffer };
}

export interface StringListMsg {
  values: string[];
}

export interface CallResourceRequestMsg {
  pluginContext: PluginContextMsg | null;
  path: string;
  method: string;
  url: string;
  headers: Record<string, StringListMsg>;
  body: Buffer;
}

export interface CallResourceResponseMsg {
  code: number;
  headers: Record<string, StringListMsg>;
  body: Buffer;
}

export interface HealthCheckRequestMsg {
  service: string;
}

export const ServingStatus = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;

export interface HealthCheckResponseMsg {
  status: (typeof ServingStatus)[keyof typeof ServingStatus];
}

/** SubscribeStreamRequest, PublishStreamRequest and RunStreamRequest share these fields. */
export interface StreamRequestMsg {
  pluginContext: PluginContextMsg | null;
  path: string;
  data: Buffer;
  headers: Record<string, string>;
}

export const StreamStatus = { OK: 0, NOT_FOUND: 1, PERMISSION_DENIED: 2 } as const;

export interface StreamStatusResponseMsg {
  status: (typeof StreamStatus)[keyof typeof StreamStatus];
  data?: Buffer;
}

export interface StreamPacketMsg {
  data: Buffer;
}
