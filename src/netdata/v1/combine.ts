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
  const rowAt = answers.map((ans) => new Map(ans.rows.map((r) => [r[0] as number, r])));
  const values: Array<Array<number | null>> = series.map(() => []);
  const flags: number[][] = series.map(() => []);
  for (const t of times) {
    series.forEach((s, i) => {
      const present: number[] = [];
      for (const m of s.members) {
        const v = rowAt[m.answer].get(t)?.[m.column + 1];
        if (v !== null && v !== undefined) {
          present.push(v);
        }
      }
      if (present.length === 0) {
        values[i].push(null);
        flags[i].push(PA_EMPTY);
      } else {
        values[i].push(aggregate(present, q.aggregation));
        flags[i].push(present.length < s.members.length ? PA_PARTIAL : 0);
      }
    });
  }

  // `nonzero` is applied to the output series (as v2 does), never per chart: a zero column still counts in avg/min.
  const kept = series
    .map((s, i) => i)
    .filter((i) => q.nonZero !== true || values[i].some((v) => v !== null && v !== 0));

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
