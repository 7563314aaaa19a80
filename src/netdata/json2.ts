// Shape validation of a json2 data response (netdata-api.md §3.5, §3.6, §8.3); accepts short and long JSON keys.
import type { Json2Dimensions, Json2NodeStatus, Json2Response, Json2SummaryNode, Result } from './types';

type Obj = Record<string, unknown>;

class Json2Error extends Error {}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Long-json-keys names of the point positions (§3.6) → short names. */
const POINT_KEYS: Readonly<Record<string, string>> = {
  value: 'value',
  arp: 'arp',
  anomaly_rate_percent: 'arp',
  pa: 'pa',
  point_annotations_bitmap: 'pa',
  count: 'count',
  hidden: 'hidden',
};

function parsePoint(result: Obj): Record<string, number> | undefined {
  const raw = isObj(result.point) ? result.point : isObj(result.point_schema) ? result.point_schema : undefined;
  if (raw === undefined) {
    return undefined;
  }
  const point: Record<string, number> = {};
  for (const [key, position] of Object.entries(raw)) {
    const short = Object.prototype.hasOwnProperty.call(POINT_KEYS, key) ? POINT_KEYS[key] : key;
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) {
      point[short] = position;
    }
  }
  return point;
}

function parseResult(body: Obj): Json2Response['result'] {
  const result = body.result;
  if (!isObj(result)) {
    if (Array.isArray(body.dimension_names) || body.api === 1) {
      throw new Json2Error('Netdata answered in the v1 data format, not json2');
    }
    throw new Json2Error('Netdata response has no result object');
  }
  if (!isStringArray(result.labels)) {
    throw new Json2Error('Netdata response has no result.labels array of strings');
  }
  if (!Array.isArray(result.data)) {
    throw new Json2Error('Netdata response has no result.data array');
  }
  result.data.forEach((row, i) => {
    if (!Array.isArray(row)) {
      throw new Json2Error(`Netdata response row ${i} of result.data is not an array`);
    }
    if (typeof row[0] !== 'number' && typeof row[0] !== 'string') {
      throw new Json2Error(`Netdata response row ${i} of result.data has no timestamp`);
    }
  });
  const parsed: Json2Response['result'] = { labels: result.labels, data: result.data as unknown[][] };
  const point = parsePoint(result);
  if (point !== undefined) {
    parsed.point = point;
  }
  return parsed;
}

function parseUnits(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') {
    return value;
  }
  return isStringArray(value) ? value : undefined;
}

function parseDimensions(view: Obj, seriesCount: number): Json2Dimensions {
  const raw = view.dimensions;
  if (!isObj(raw)) {
    throw new Json2Error('Netdata response has no view.dimensions object');
  }
  if (!isStringArray(raw.ids)) {
    throw new Json2Error('Netdata response has no view.dimensions.ids array of strings');
  }
  if (raw.ids.length !== seriesCount) {
    throw new Json2Error(
      `Netdata response is inconsistent: result.labels names ${seriesCount} series but view.dimensions.ids has ${raw.ids.length}`
    );
  }
  const n = raw.ids.length;
  const dims: Json2Dimensions = { ids: raw.ids };
  if (isStringArray(raw.grouped_by)) {
    dims.grouped_by = raw.grouped_by;
  }
  // Per-dimension arrays of another length cannot be matched to the series: ignore them rather than mislabel.
  if (isStringArray(raw.names) && raw.names.length === n) {
    dims.names = raw.names;
  }
  if (isStringArray(raw.units) && raw.units.length === n) {
    dims.units = raw.units;
  }
  if (isNumberArray(raw.priorities) && raw.priorities.length === n) {
    dims.priorities = raw.priorities;
  }
  if (isNumberArray(raw.aggregated) && raw.aggregated.length === n) {
    dims.aggregated = raw.aggregated;
  }
  if (isObj(raw.labels)) {
    const labels: Record<string, Array<string[] | null>> = {};
    for (const [key, perDim] of Object.entries(raw.labels)) {
      if (Array.isArray(perDim)) {
        labels[key] = perDim.map((v) => (isStringArray(v) ? v : null));
      }
    }
    dims.labels = labels;
  }
  return dims;
}

function parseView(body: Obj, seriesCount: number): Json2Response['view'] {
  const view = body.view;
  if (!isObj(view)) {
    throw new Json2Error('Netdata response has no view object');
  }
  const parsed: Json2Response['view'] = { dimensions: parseDimensions(view, seriesCount) };
  const title = str(view.title);
  if (title !== undefined) {
    parsed.title = title;
  }
  const updateEvery = num(view.update_every);
  if (updateEvery !== undefined) {
    parsed.update_every = updateEvery;
  }
  for (const key of ['after', 'before'] as const) {
    const value = view[key];
    if (typeof value === 'number' || typeof value === 'string') {
      parsed[key] = value;
    }
  }
  const units = parseUnits(view.units);
  if (units !== undefined) {
    parsed.units = units;
  }
  const chartType = str(view.chart_type);
  if (chartType !== undefined) {
    parsed.chart_type = chartType;
  }
  if (view.min === null || num(view.min) !== undefined) {
    parsed.min = view.min as number | null;
  }
  if (view.max === null || num(view.max) !== undefined) {
    parsed.max = view.max as number | null;
  }
  return parsed;
}

function parseStatus(value: unknown): Json2NodeStatus | undefined {
  if (!isObj(value)) {
    return undefined;
  }
  const st: Json2NodeStatus = {};
  const ai = num(value.ai ?? value.agents_array_index);
  const code = num(value.code);
  const msg = str(value.msg ?? value.message);
  const ms = num(value.ms);
  if (ai !== undefined) {
    st.ai = ai;
  }
  if (code !== undefined) {
    st.code = code;
  }
  if (msg !== undefined) {
    st.msg = msg;
  }
  if (ms !== undefined) {
    st.ms = ms;
  }
  return st;
}

/** The `__remaining_nodes__` entry of a limited summary (netdata-api-extra.md §8.1): how many nodes it folds. */
function remainingNodes(value: unknown): number | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const entry = value.find((item) => isObj(item) && item.id === '__remaining_nodes__');
  if (!isObj(entry)) {
    return undefined;
  }
  const count = /^remaining (\d+) node/.exec(str(entry.nm ?? entry.hostname) ?? '');
  return count ? Number(count[1]) : 1;
}

/** summary.nodes[] with short or long keys (§3.6 key map); entries without a machine GUID are skipped. */
function parseSummaryNodes(value: unknown): Json2SummaryNode[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const nodes: Json2SummaryNode[] = [];
  value.forEach((item, i) => {
    if (!isObj(item)) {
      return;
    }
    const mg = str(item.mg ?? item.machine_guid);
    if (mg === undefined) {
      return;
    }
    const node: Json2SummaryNode = {
      mg,
      nm: str(item.nm ?? item.hostname ?? item.name) ?? mg,
      ni: num(item.ni ?? item.nodes_array_index) ?? i,
    };
    const nd = str(item.nd ?? item.node_id);
    if (nd !== undefined && nd !== '') {
      node.nd = nd;
    }
    const st = parseStatus(item.st ?? item.status);
    if (st !== undefined) {
      node.st = st;
    }
    nodes.push(node);
  });
  return nodes;
}

function parseAgents(value: unknown): Json2Response['agents'] {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const agents: NonNullable<Json2Response['agents']> = [];
  for (const item of value) {
    if (!isObj(item) || typeof item.mg !== 'string') {
      continue;
    }
    const agent: NonNullable<Json2Response['agents']>[number] = { mg: item.mg, nm: str(item.nm) ?? item.mg };
    if (typeof item.nd === 'string' || item.nd === null) {
      agent.nd = item.nd;
    }
    if (typeof item.now === 'number' || typeof item.now === 'string') {
      agent.now = item.now;
    }
    const ai = num(item.ai);
    if (ai !== undefined) {
      agent.ai = ai;
    }
    agents.push(agent);
  }
  return agents;
}

function parseDb(value: unknown): Json2Response['db'] {
  if (!isObj(value)) {
    return undefined;
  }
  const db: NonNullable<Json2Response['db']> = {};
  const units = parseUnits(value.units);
  if (units !== undefined) {
    db.units = units;
  }
  const updateEvery = num(value.update_every);
  if (updateEvery !== undefined) {
    db.update_every = updateEvery;
  }
  if (Array.isArray(value.per_tier)) {
    db.per_tier = value.per_tier.flatMap((t: unknown) => {
      const tier = isObj(t) ? num(t.tier) : undefined;
      const points = isObj(t) ? num(t.points) : undefined;
      return tier !== undefined && points !== undefined ? [{ tier, points }] : [];
    });
  }
  for (const key of ['tiers', 'first_entry', 'last_entry'] as const) {
    if (value[key] !== undefined) {
      db[key] = value[key];
    }
  }
  return db;
}

/**
 * Validates a json2 body (already parsed JSON, or its text) and returns it normalised: short keys for the point
 * positions and summary nodes, only the typed keys kept. Readable error for anything we could not render.
 */
export function parseJson2(body: unknown): Result<Json2Response> {
  let json = body;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch {
      return { ok: false, error: 'Netdata response is not valid JSON' };
    }
  }
  if (!isObj(json)) {
    return { ok: false, error: 'Netdata response is not a JSON object' };
  }
  try {
    const result = parseResult(json);
    const view = parseView(json, Math.max(0, result.labels.length - 1));
    const parsed: Json2Response = { api: num(json.api) ?? 0, result, view };
    if (isObj(json.summary)) {
      parsed.summary = { nodes: parseSummaryNodes(json.summary.nodes) };
      const remaining = remainingNodes(json.summary.nodes);
      if (remaining !== undefined) {
        parsed.summary.remainingNodes = remaining;
      }
    }
    const db = parseDb(json.db);
    if (db !== undefined) {
      parsed.db = db;
    }
    const agents = parseAgents(json.agents);
    if (agents !== undefined) {
      parsed.agents = agents;
    }
    return { ok: true, value: parsed };
  } catch (e) {
    if (e instanceof Json2Error) {
      return { ok: false, error: e.message };
    }
    throw e;
  }
}
