// Data links of frames: "Open in Netdata" (the agent's dashboard for the chart, or the Cloud room) and "Explore this
// series" (a metrics query in Explore). URLs are built from the data source's own URL (settings), never from query
// input; per-row values come in through Grafana's link variables (`${__data.fields.node}`) or, for series, from the
// series labels, URL-encoded here.
import { METRICS_QUERY_TYPE } from './queryType';
import type { DataLink } from './types';

/** Where "Open in Netdata" points: the agent/Parent dashboard or a Cloud room. */
export type NetdataTarget =
  { kind: 'agent'; baseUrl: string } | { kind: 'cloud'; baseUrl: string; spaceId?: string; roomId?: string };

export const OPEN_IN_NETDATA = 'Open in Netdata';
export const EXPLORE_SERIES = 'Explore this series';

/** Encodes for a URL and keeps Grafana from reading `$` in a value as a variable. */
function enc(value: string): string {
  return encodeURIComponent(value).replace(/\$/g, '%24');
}

function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}

export interface DashboardPlace {
  /** Node hostname (a Parent serves its children under `/host/<hostname>/`); already a template or a value. */
  node?: string;
  /** Chart (instance) or context id. */
  chart?: string;
  /** Window start/end in ms, or Grafana variables such as `${__from}`. */
  fromMs?: string;
  toMs?: string;
}

/**
 * The agent dashboard: `<url>/host/<node>/#after=<ms>;before=<ms>;chart=<id>` (the dashboard's hash options: times
 * in ms, `;`-separated). `templated` parts are inserted as given (Grafana variables); plain values are encoded.
 */
export function agentDashboardUrl(baseUrl: string, place: DashboardPlace, templated = false): string {
  const v = (s: string) => (templated ? s : enc(s));
  let url = trimBase(baseUrl);
  if (place.node !== undefined && place.node !== '') {
    url += `/host/${v(place.node)}`;
  }
  const hash: string[] = [];
  if (place.fromMs !== undefined && place.toMs !== undefined) {
    hash.push(`after=${place.fromMs}`, `before=${place.toMs}`);
  }
  if (place.chart !== undefined && place.chart !== '') {
    hash.push(`chart=${v(place.chart)}`);
  }
  return `${url}/${hash.length > 0 ? `#${hash.join(';')}` : ''}`;
}

/** The Cloud room's overview, or the Cloud home when no room is known. */
export function cloudRoomUrl(baseUrl: string, spaceId?: string, roomId?: string): string {
  const base = trimBase(baseUrl);
  if (spaceId === undefined || spaceId === '' || roomId === undefined || roomId === '') {
    return `${base}/`;
  }
  return `${base}/spaces/${enc(spaceId)}/rooms/${enc(roomId)}/overview`;
}

/** "Open in Netdata" of one time series, from its labels (`node`, `instance`, `context`), over the panel's range. */
export function seriesNetdataLink(target: NetdataTarget, labels: Readonly<Record<string, string>>): DataLink {
  if (target.kind === 'cloud') {
    return {
      title: OPEN_IN_NETDATA,
      url: cloudRoomUrl(target.baseUrl, target.spaceId, target.roomId),
      targetBlank: true,
    };
  }
  const url = agentDashboardUrl(target.baseUrl, {
    node: labels.node,
    chart: labels.instance ?? labels.context,
    fromMs: '${__from}',
    toMs: '${__to}',
  });
  return { title: OPEN_IN_NETDATA, url, targetBlank: true };
}

/**
 * "Open in Netdata" of a table row: the row's `node` field and, when given, its chart field, through Grafana's
 * `${__data.fields.…}` variables (Grafana URL-encodes them).
 */
export function rowNetdataLink(
  target: NetdataTarget,
  fields: { node?: string; chart?: string },
  window?: { fromMs: number | string; toMs: number | string }
): DataLink {
  if (target.kind === 'cloud') {
    return {
      title: OPEN_IN_NETDATA,
      url: cloudRoomUrl(target.baseUrl, target.spaceId, target.roomId),
      targetBlank: true,
    };
  }
  const url = agentDashboardUrl(
    target.baseUrl,
    {
      node: fields.node !== undefined ? `\${__data.fields.${fields.node}}` : undefined,
      chart: fields.chart !== undefined ? `\${__data.fields.${fields.chart}}` : undefined,
      fromMs: window !== undefined ? String(window.fromMs) : undefined,
      toMs: window !== undefined ? String(window.toMs) : undefined,
    },
    true
  );
  return { title: OPEN_IN_NETDATA, url, targetBlank: true };
}

/**
 * "Explore this series": an internal link opening the row's context/node/instance/dimension as a metrics query.
 * `timeRange` is the Go SDK's name for the link's range (highlight + baseline); Grafana's frontend reads `range`
 * instead, which the SDK (that decodes our frames in Grafana) cannot carry, so the frontend restores it
 * (`exploreLinkRange`).
 */
export function exploreSeriesLink(
  datasource: { uid: string; name?: string },
  window: { fromMs: number; toMs: number }
): DataLink {
  return {
    title: EXPLORE_SERIES,
    url: '',
    internal: {
      datasourceUid: datasource.uid,
      ...(datasource.name ? { datasourceName: datasource.name } : {}),
      query: {
        refId: 'A',
        queryType: METRICS_QUERY_TYPE,
        context: '${__data.fields.context}',
        nodes: ['${__data.fields.node}'],
        instances: ['${__data.fields.instance}'],
        dimensions: ['${__data.fields.dimension}'],
        groupBy: ['dimension'],
      },
      timeRange: { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() },
    },
  };
}

/**
 * For the frontend: the Explore range of an internal link read from a frame (`timeRange` as the backend wrote it),
 * as epoch ms, or undefined. Grafana's `internal.range` wants `{from, to, raw}`; the caller builds it with dateTime.
 */
export function exploreLinkRange(link: unknown): { fromMs: number; toMs: number } | undefined {
  if (typeof link !== 'object' || link === null) {
    return undefined;
  }
  const internal = (link as { internal?: { timeRange?: { from?: unknown; to?: unknown } } }).internal;
  const from = typeof internal?.timeRange?.from === 'string' ? Date.parse(internal.timeRange.from) : NaN;
  const to = typeof internal?.timeRange?.to === 'string' ? Date.parse(internal.timeRange.to) : NaN;
  return Number.isFinite(from) && Number.isFinite(to) && to > from ? { fromMs: from, toMs: to } : undefined;
}
