// Untrusted Netdata 1.37 v1 answers → typed values (netdata-api-extra.md §4.2–§4.6). A document that is not of the
// documented shape gives an error naming what is wrong; stray entries inside a valid document are skipped.
import { findHostNode, unknownHostNodeError } from '../hostNode';
import type { Result } from '../types';
import type { V1AlarmLogEntry, V1Chart, V1DataAnswer, V1Dimension, V1Info, V1Node } from './types';
import {
  type JsonObject as Obj,
  isJsonObject as isObj,
  nonEmptyString as str,
  finiteNumber as num,
} from '../jsonValues';

/** The path prefix reaching a node: hostname first on 1.37 (§4.1). */
export function nodePrefix(hostname: string, hops: number): string {
  return hops === 0 ? '' : `/host/${encodeURIComponent(hostname)}`;
}

/** `/api/v1/info`: version, the agent's own hostname and every node it holds (a Parent's children included). */
export function parseV1Info(body: unknown): Result<V1Info> {
  if (!isObj(body)) {
    return { ok: false, error: '/api/v1/info is not a JSON object' };
  }
  const version = str(body.version);
  if (version === undefined) {
    return { ok: false, error: '/api/v1/info has no version' };
  }
  const nodes: V1Node[] = [];
  const seen = new Set<string>();
  const statuses = Array.isArray(body.mirrored_hosts_status) ? body.mirrored_hosts_status : [];
  for (const s of statuses) {
    if (!isObj(s)) {
      continue;
    }
    const hostname = str(s.hostname);
    const machineGuid = str(s.guid);
    if (hostname === undefined || machineGuid === undefined || seen.has(hostname)) {
      continue;
    }
    seen.add(hostname);
    const hops = num(s.hops) ?? (nodes.length === 0 ? 0 : 1);
    const node: V1Node = {
      hostname,
      machineGuid,
      reachable: s.reachable !== false,
      hops,
      prefix: nodePrefix(hostname, hops),
    };
    const nodeId = str(s.node_id);
    if (nodeId !== undefined) {
      node.nodeId = nodeId;
    }
    nodes.push(node);
  }
  if (nodes.length === 0) {
    // Without statuses: the hostnames alone, the first being the agent itself; its GUID is `uid`.
    const mirrored = Array.isArray(body.mirrored_hosts) ? body.mirrored_hosts : [];
    mirrored.forEach((h, i) => {
      const hostname = str(h);
      if (hostname !== undefined && !seen.has(hostname)) {
        seen.add(hostname);
        const machineGuid = i === 0 ? (str(body.uid) ?? hostname) : hostname;
        nodes.push({ hostname, machineGuid, reachable: true, hops: i === 0 ? 0 : 1, prefix: nodePrefix(hostname, i) });
      }
    });
  }
  if (nodes.length === 0) {
    return { ok: false, error: '/api/v1/info lists no node (no mirrored_hosts)' };
  }
  // `uid` is the GUID of the node the request reached: through a `/host/<child>/` base URL that is the child, and
  // then the data source sees only that node (its prefix is already in the base URL).
  const uid = str(body.uid);
  const reached = nodes.find((n) => n.machineGuid === uid);
  if (reached !== undefined && reached.hops > 0) {
    return {
      ok: true,
      value: withMl({ version, hostname: reached.hostname, nodes: [{ ...reached, prefix: '' }] }, body),
    };
  }
  const local = nodes.find((n) => n.hops === 0) ?? nodes[0];
  return { ok: true, value: withMl({ version, hostname: local.hostname, nodes }, body) };
}

function withMl(info: V1Info, body: Obj): V1Info {
  const ml = body['ml-info'];
  if (isObj(ml) && typeof ml.enabled === 'boolean') {
    info.mlEnabled = ml.enabled;
  }
  return info;
}

/** 1.37 renders a chart title as `<title> (<chart name>)` (§4.3). */
export function contextTitle(title: string, chartName: string): string {
  const suffix = ` (${chartName})`;
  return title.endsWith(suffix) ? title.slice(0, -suffix.length) : title;
}

function chart(id: string, raw: unknown): V1Chart | undefined {
  if (!isObj(raw)) {
    return undefined;
  }
  const context = str(raw.context);
  if (context === undefined) {
    return undefined;
  }
  const name = str(raw.name) ?? id;
  const dimensions: V1Dimension[] = [];
  if (isObj(raw.dimensions)) {
    for (const [dimId, dim] of Object.entries(raw.dimensions)) {
      if (dimId !== '') {
        dimensions.push({ id: dimId, name: (isObj(dim) ? str(dim.name) : undefined) ?? dimId });
      }
    }
  }
  const labels: Record<string, string> = {};
  if (isObj(raw.chart_labels)) {
    for (const [key, value] of Object.entries(raw.chart_labels)) {
      if (key !== '' && typeof value === 'string') {
        labels[key] = value;
      }
    }
  }
  return {
    id,
    name,
    context,
    title: contextTitle(str(raw.title) ?? context, name),
    units: typeof raw.units === 'string' ? raw.units : '',
    family: typeof raw.family === 'string' ? raw.family : '',
    priority: num(raw.priority) ?? 0,
    chartType: typeof raw.chart_type === 'string' ? raw.chart_type : 'line',
    updateEvery: num(raw.update_every) ?? 1,
    dimensions,
    labels,
  };
}

/** `/api/v1/charts`: the charts being collected, sorted by priority then id. */
export function parseV1Charts(body: unknown): Result<V1Chart[]> {
  if (!isObj(body) || !isObj(body.charts)) {
    return { ok: false, error: '/api/v1/charts is not a JSON object with a "charts" object' };
  }
  const charts: V1Chart[] = [];
  for (const [id, raw] of Object.entries(body.charts)) {
    const c = id === '' ? undefined : chart(id, raw);
    if (c !== undefined) {
      charts.push(c);
    }
  }
  charts.sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ok: true, value: charts };
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

/**
 * `/api/v1/data?format=json&options=jsonwrap,…`: column names/ids and plain-number rows. With no visible dimension
 * 1.37 names one column `no data`; that is read as no column at all.
 */
export function parseV1Data(body: unknown): Result<V1DataAnswer> {
  if (!isObj(body)) {
    return { ok: false, error: 'the /api/v1/data answer is not a JSON object' };
  }
  if (body.api !== 1) {
    return { ok: false, error: `the /api/v1/data answer is not api 1 (api ${JSON.stringify(body.api ?? null)})` };
  }
  const ids = stringArray(body.dimension_ids);
  const names = stringArray(body.dimension_names);
  if (ids === undefined || names === undefined || ids.length !== names.length) {
    return { ok: false, error: 'dimension_ids/dimension_names are not two string arrays of one length' };
  }
  const result = body.result;
  if (!isObj(result) || !Array.isArray(result.data)) {
    return { ok: false, error: 'result.data is not an array (ask with format=json&options=jsonwrap)' };
  }
  const visible = num(body.dimensions);
  const noData = visible === 0 || (ids.length === 1 && ids[0] === 'no data' && names[0] === 'no data');
  const width = noData ? 0 : ids.length;
  const rows: Array<Array<number | null>> = [];
  for (const [i, raw] of result.data.entries()) {
    if (!Array.isArray(raw) || num(raw[0]) === undefined) {
      return { ok: false, error: `result.data[${i}] is not a row [time, values…]` };
    }
    if (noData) {
      continue;
    }
    if (raw.length !== width + 1) {
      return { ok: false, error: `result.data[${i}] has ${raw.length - 1} values for ${width} dimensions` };
    }
    const row: Array<number | null> = [raw[0] as number];
    for (let j = 1; j <= width; j++) {
      const v = raw[j];
      if (v !== null && num(v) === undefined) {
        return { ok: false, error: `result.data[${i}][${j}] is not a number or null` };
      }
      row.push(v as number | null);
    }
    rows.push(row);
  }
  return {
    ok: true,
    value: {
      viewUpdateEvery: num(body.view_update_every) ?? 0,
      updateEvery: num(body.update_every) ?? 0,
      dimensionIds: noData ? [] : ids,
      dimensionNames: noData ? [] : names,
      rows,
    },
  };
}

function nullableNum(value: unknown): number | null {
  return num(value) ?? null;
}

/** `/api/v1/alarm_log`: an array of transitions, newest first; entries without a name or time are skipped. */
export function parseV1AlarmLog(body: unknown): Result<V1AlarmLogEntry[]> {
  if (!Array.isArray(body)) {
    return { ok: false, error: '/api/v1/alarm_log is not a JSON array' };
  }
  const entries: V1AlarmLogEntry[] = [];
  for (const raw of body) {
    if (!isObj(raw)) {
      continue;
    }
    const name = str(raw.name);
    const when = num(raw.when);
    const uniqueId = num(raw.unique_id);
    if (name === undefined || when === undefined || uniqueId === undefined) {
      continue;
    }
    const entry: V1AlarmLogEntry = {
      hostname: str(raw.hostname) ?? '',
      uniqueId,
      name,
      chart: str(raw.chart) ?? '',
      when,
      status: str(raw.status) ?? 'UNKNOWN',
      oldStatus: str(raw.old_status) ?? 'UNKNOWN',
      value: nullableNum(raw.value),
      oldValue: nullableNum(raw.old_value),
    };
    const optional: Array<[keyof V1AlarmLogEntry, string]> = [
      ['context', 'context'],
      ['family', 'family'],
      ['component', 'component'],
      ['classification', 'class'],
      ['type', 'type'],
      ['units', 'units'],
      ['info', 'info'],
    ];
    for (const [key, from] of optional) {
      const value = str(raw[from]);
      if (value !== undefined) {
        (entry as unknown as Record<string, unknown>)[key] = value;
      }
    }
    entries.push(entry);
  }
  return { ok: true, value: entries };
}

/**
 * Only the node a data source URL ending in `/host/<node>` names (looked up as for v2/v3, hostNode.ts), when the
 * settings took that prefix off the base URL: its requests then carry `/host/<hostname>` again (§4.1).
 */
export function scopeV1Info(info: V1Info, hostNode: string | undefined): Result<V1Info> {
  if (hostNode === undefined || hostNode === '') {
    return { ok: true, value: info };
  }
  const node = findHostNode(info.nodes, hostNode);
  if (node === undefined) {
    return { ok: false, error: unknownHostNodeError(hostNode, info.nodes) };
  }
  return { ok: true, value: { ...info, hostname: node.hostname, nodes: [node] } };
}
