// Per-chart `/api/v1/data` answers → the json2 document a v2 agent would have sent for the same query
// (netdata-api.md §3.4–§3.6), so that the v1 path makes the very same frames, series names and labels. 1.37 never
// aggregates across charts (netdata-api-extra.md §4.5): the group-by and the aggregation across instances and nodes
// are computed here, on the rows' timestamps (every chart is asked the same absolute, unaligned window).
import { groupByParams } from '../agentRequest';
import { PA_EMPTY, PA_PARTIAL } from '../points';
import type { Json2Response, Json2SummaryNode, NetdataQueryModel } from '../types';
import type { V1DataAnswer } from './types';
import type { V1Target as Target } from './plan';

/** Group-by words in Netdata's composition order (§3.4), as json2's `grouped_by`. */
export function v1GroupedBy(q: NetdataQueryModel): string[] {
  const { groupBy, groupByLabel } = groupByParams(q);
  if (groupBy.includes('selected')) {
    return ['selected'];
  }
  const grouped: string[] = [];
  if (groupBy.includes('dimension')) {
    grouped.push('dimension');
  }
  if (groupBy.includes('instance')) {
    grouped.push('instance');
  }
  if (groupBy.includes('label')) {
    grouped.push(...groupByLabel.map((k) => `label:${k}`));
  }
  for (const word of ['node', 'context', 'units'] as const) {
    if (groupBy.includes(word)) {
      grouped.push(word);
    }
  }
  return grouped.length > 0 ? grouped : ['dimension'];
}

interface Column {
  answer: number;
  column: number;
}

interface OutputSeries {
  id: string;
  name: string;
  units: string;
  members: Column[];
}

/** Id and name of the output series a column of a chart belongs to (§3.4). */
function seriesKey(grouped: readonly string[], target: Target, dimensionName: string): { id: string; name: string } {
  const ids: string[] = [];
  const names: string[] = [];
  const withNode = grouped.includes('node');
  for (const word of grouped) {
    let id: string;
    let name: string;
    switch (word) {
      case 'selected':
        id = name = 'selected';
        break;
      case 'dimension':
        id = name = dimensionName;
        break;
      case 'instance':
        id = withNode ? target.chart.id : `${target.chart.id}@${target.node.machineGuid}`;
        name = withNode ? target.chart.name : `${target.chart.name}@${target.node.hostname}`;
        break;
      case 'node':
        id = target.node.machineGuid;
        name = target.node.hostname;
        break;
      case 'context':
        id = name = target.chart.context;
        break;
      case 'units':
        id = name = target.chart.units;
        break;
      default:
        id = name = target.chart.labels[word.slice('label:'.length)] ?? '[unset]';
    }
    ids.push(id);
    names.push(name);
  }
  return { id: ids.join(','), name: names.join(',') };
}

function aggregate(values: number[], aggregation: NetdataQueryModel['aggregation']): number {
  switch (aggregation) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'extremes':
      // The value of the largest magnitude, its sign kept (§3.1).
      return values.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
    default:
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

/** Units of a series as a v2 agent reports them: `%` for `percentage` and for countif (§8.5). */
function seriesUnits(q: NetdataQueryModel, chartUnits: string): string {
  return q.percentage === true || q.timeGroup === 'countif' ? '%' : chartUnits;
}

/**
 * A series limit as v2.6+ applies it (`cardinality_limit` = limit + 1, netdata-api-extra.md §8.2): the `limit`
 * series of the largest |sum| first, then one `remaining N dimensions` series holding the sum of the others
 * (whatever the aggregation, as Netdata does). Adds the folded series to `series`/`values`/`flags`.
 */
function foldRemaining(
  kept: number[],
  limit: number,
  series: OutputSeries[],
  values: Array<Array<number | null>>,
  flags: number[][]
): number[] {
  const weight = (i: number) => values[i].reduce<number>((a, v) => a + Math.abs(v ?? 0), 0);
  const ranked = kept.map((i) => ({ i, w: weight(i) })).sort((a, b) => b.w - a.w || a.i - b.i);
  const top = ranked.slice(0, limit).map((r) => r.i);
  const rest = ranked.slice(limit).map((r) => r.i);
  const label = `remaining ${rest.length} ${rest.length === 1 ? 'dimension' : 'dimensions'}`;
  const length = values[rest[0]].length;
  const sum: Array<number | null> = new Array<number | null>(length);
  const pa: number[] = new Array<number>(length);
  for (let k = 0; k < length; k++) {
    let total = 0;
    let count = 0;
    for (const i of rest) {
      const v = values[i][k];
      if (v !== null) {
        total += v;
        count++;
      }
    }
    sum[k] = count === 0 ? null : total;
    pa[k] = count === 0 ? PA_EMPTY : count < rest.length ? PA_PARTIAL : 0;
  }
  series.push({ id: label, name: label, units: series[rest[0]].units, members: [] });
  values.push(sum);
  flags.push(pa);
  return [...top, series.length - 1];
}

/**
 * The json2 document of the combined answers. `answers[i]` is the answer for `targets[i]`. Empty points are null
 * with the EMPTY bit; points some members of a group lack carry the PARTIAL bit, as on v2.
 */
export function combineV1(
  q: NetdataQueryModel,
  targets: readonly Target[],
  answers: readonly V1DataAnswer[]
): Json2Response {
  if (targets.length !== answers.length) {
    throw new Error(`combineV1: ${targets.length} charts but ${answers.length} answers`);
  }
  const grouped = v1GroupedBy(q);
  const series: OutputSeries[] = [];
  const byId = new Map<string, OutputSeries>();
  answers.forEach((answer, a) => {
    answer.dimensionNames.forEach((dimensionName, column) => {
      const key = seriesKey(grouped, targets[a], dimensionName);
      let s = byId.get(key.id);
      if (s === undefined) {
        s = { ...key, units: seriesUnits(q, targets[a].chart.units), members: [] };
        byId.set(key.id, s);
        series.push(s);
      }
      s.members.push({ answer: a, column });
    });
  });

  const times = [...new Set(answers.flatMap((ans) => ans.rows.map((r) => r[0] as number)))].sort((x, y) => x - y);
  const timeIndex = new Map(times.map((t, k) => [t, k]));
  // Per answer: which of its rows holds each timestamp (-1: none), so that the loop below indexes arrays only.
  const rowOf = answers.map((ans) => {
    const at = new Int32Array(times.length).fill(-1);
    ans.rows.forEach((r, k) => {
      at[timeIndex.get(r[0] as number) ?? 0] = k;
    });
    return at;
  });
  const values: Array<Array<number | null>> = series.map(() => new Array<number | null>(times.length));
  const flags: number[][] = series.map(() => new Array<number>(times.length));
  const present: number[] = [];
  series.forEach((s, i) => {
    for (let k = 0; k < times.length; k++) {
      present.length = 0;
      for (const m of s.members) {
        const row = rowOf[m.answer][k];
        const v = row < 0 ? null : answers[m.answer].rows[row][m.column + 1];
        if (v !== null && v !== undefined) {
          present.push(v);
        }
      }
      if (present.length === 0) {
        values[i][k] = null;
        flags[i][k] = PA_EMPTY;
      } else {
        values[i][k] = aggregate(present, q.aggregation);
        flags[i][k] = present.length < s.members.length ? PA_PARTIAL : 0;
      }
    }
  });

  // `nonzero` is applied to the output series (as v2 does), never per chart: a zero column still counts in avg/min.
  let kept = series.map((s, i) => i).filter((i) => q.nonZero !== true || values[i].some((v) => v !== null && v !== 0));
  if (q.limit !== undefined && kept.length > q.limit) {
    kept = foldRemaining(kept, q.limit, series, values, flags);
  }

  const nodes: Json2SummaryNode[] = [];
  for (const t of targets) {
    if (!nodes.some((n) => n.mg === t.node.machineGuid)) {
      const node: Json2SummaryNode = { mg: t.node.machineGuid, nm: t.node.hostname, ni: nodes.length };
      if (t.node.nodeId !== undefined) {
        node.nd = t.node.nodeId;
      }
      nodes.push(node);
    }
  }
  const units = kept.map((i) => series[i].units);
  return {
    api: 1,
    summary: { nodes },
    result: {
      labels: ['time', ...kept.map((i) => series[i].id)],
      point: { value: 0, arp: 1, pa: 2 },
      data: times.map((t, r) => [t * 1000, ...kept.map((i) => [values[i][r], 0, flags[i][r]])]),
    },
    view: {
      title: targets[0]?.chart.title,
      update_every: Math.max(0, ...answers.map((ans) => ans.viewUpdateEvery)),
      units: new Set(units).size === 1 ? units[0] : units,
      dimensions: {
        grouped_by: grouped,
        ids: kept.map((i) => series[i].id),
        names: kept.map((i) => series[i].name),
        units,
      },
    },
  };
}
