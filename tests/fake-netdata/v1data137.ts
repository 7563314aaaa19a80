// `GET /api/v1/data` of a v1-only agent (Netdata 1.37, netdata-api-extra.md §4.5): `chart=` alone is one chart,
// `context=` (+ `chart=` as an instance pattern) returns one column per chart × dimension with `chart_ids[]`,
// never an aggregate; the jsonwrap keys are in 1.37's order, `id`/`name` are query strings, `options` one string.
// Checked against the real 1.37.1 (tests/fixtures/netdata-1.37, tests/real-netdata).

import type { InstanceDef, NodeDef } from './dataset';
import type { DataRequest } from './dataRequest';
import type { JsonObject } from './json2';
import { num } from './json2';
import { compileLabelSelector, compileSimplePattern, matchesAny } from './patterns';
import type { EngineContext } from './query';
import { runDataQuery } from './query';
import type { AgentQuery } from './queryString';
import { parseAgentInt, splitWords } from './queryString';
import type { Reply } from './reply';
import { json, text } from './reply';
import { isRelative } from './window';

/**
 * 1.37 prints options from one table, in its order, under the table's first name for each option. Observed on
 * 1.37.1: nonzero … match_ids, then natural-points; the places of the later ones are an assumption.
 */
const OPTION_TABLE: Array<[string, string[]]> = [
  ['nonzero', ['nonzero']],
  ['flip', ['flip', 'reversed', 'reverse']],
  ['jsonwrap', ['jsonwrap']],
  ['min2max', ['min2max']],
  ['ms', ['ms', 'milliseconds']],
  ['abs', ['abs', 'absolute', 'absolute_sum', 'absolute-sum']],
  ['display_absolute', ['display_absolute', 'display-absolute']],
  ['seconds', ['seconds']],
  ['null2zero', ['null2zero']],
  ['objectrows', ['objectrows']],
  ['google_json', ['google_json', 'google-json']],
  ['percentage', ['percentage']],
  ['unaligned', ['unaligned']],
  ['match_ids', ['match_ids', 'match-ids']],
  ['match_names', ['match_names', 'match-names']],
  ['anomaly-bit', ['anomaly-bit']],
  ['selected-tier', ['selected-tier']],
  ['raw', ['raw']],
  ['natural-points', ['natural-points']],
  ['virtual-points', ['virtual-points']],
  ['all-dimensions', ['all-dimensions']],
  ['jw-anomaly-rates', ['jw-anomaly-rates']],
];

function canonicalOptions(words: string[]): string[] {
  return OPTION_TABLE.filter(([, names]) => names.some((n) => words.includes(n))).map(([name]) => name);
}

/** 1.37 has no `avg` and no `extremes`: unknown words are `average` (§4.5). */
const GROUPS_137 = new Set([
  'average',
  'mean',
  'min',
  'max',
  'sum',
  'incremental-sum',
  'incremental_sum',
  'median',
  'stddev',
  'cv',
  'rsd',
  'variance',
  'ses',
  'ema',
  'ewma',
  'des',
  'countif',
  'percentile',
  'trimmed-mean',
  'trimmed-median',
]);

function group137(word: string | undefined): string {
  if (word === undefined) {
    return 'average';
  }
  if (GROUPS_137.has(word) || /^(percentile|trimmed-mean|trimmed-median)\d+$/.test(word)) {
    return word === 'mean' ? 'average' : word;
  }
  return 'average';
}

/** Pre-1.45 label filter (§4.7): any single label matching by key or `key:value`; `!` only discounts that label. */
function labelsMatch(pattern: string | undefined, labels: Record<string, string>): boolean {
  return compileLabelSelector(pattern, 'any-label')?.matches(labels) ?? true;
}

export function v1DataReply137(query: AgentQuery, host: NodeDef, engine: EngineContext): Reply {
  const chart = query.last('chart');
  const context = query.last('context');
  if (chart === undefined && context === undefined) {
    return text(400, 'No chart or context is given.');
  }
  const labelKey = query.last('chart_label_key');
  const labelsFilter = query.last('chart_labels_filter');
  let instances: InstanceDef[];
  if (context === undefined) {
    instances = host.instances.filter((i) => i.id === chart || i.name === chart);
  } else {
    const contexts = compileSimplePattern(context);
    const charts = compileSimplePattern(chart);
    instances = host.instances.filter(
      (i) =>
        (i.context.id === context || matchesAny(contexts, [i.context.id])) &&
        matchesAny(charts, [i.id, i.name]) &&
        labelsMatch(labelsFilter, i.labels) &&
        labelsMatch(labelKey, i.labels)
    );
  }
  if (instances.length === 0) {
    return text(404, 'No metrics where matched to query.');
  }

  const words = query.all('options').flatMap((o) => splitWords(o));
  const dimensionParams = query.allOf(['dimension', 'dimensions', 'dim', 'dims']);
  const afterText = query.last('after') ?? '-600';
  const beforeText = query.last('before') ?? '0';
  const after = parseAgentInt(afterText);
  const before = parseAgentInt(beforeText);
  const pointsAsked = Math.max(0, parseAgentInt(query.last('points')));
  const group = group137(query.last('group'));
  const gtime = parseAgentInt(query.last('gtime'));
  const req: DataRequest = {
    scopeNodes: host.mg,
    scopeInstances: instances.map((i) => i.id).join('|'),
    dimensions: dimensionParams.length > 0 ? dimensionParams.join('|') : undefined,
    after,
    before,
    points: pointsAsked,
    timeGroup: group,
    timeGroupOptions: query.last('group_options'),
    tier: query.last('tier') === undefined ? undefined : parseAgentInt(query.last('tier')),
    // 1.37 never aggregates across charts: one output per chart × dimension.
    passes: [{ groupBy: 'instance,dimension', aggregation: 'average' }],
    options: words,
  };
  const r = runDataQuery(req, { ...engine, dataset: { ...engine.dataset, nodes: [host] } });
  if (r.outputs.length === 0) {
    return text(404, 'No metrics where matched to query.');
  }
  const order = (o: (typeof r.outputs)[number]): [number, number] => {
    const m = o.members[0];
    return [host.instances.indexOf(m.instance), m.dimension.priority];
  };
  const outputs = [...r.outputs].sort((a, b) => {
    const [ia, da] = order(a);
    const [ib, db] = order(b);
    return ia - ib || da - db;
  });

  const ms = r.options.has('ms');
  const null2zero = r.options.has('null2zero');
  const rows = r.rows.map((t, i) => [
    ms ? t * 1000 : t,
    ...outputs.map((o) => {
      const v = o.values[i];
      return v === null ? (null2zero ? 0 : null) : num(v);
    }),
  ]);
  if (!r.options.has('flip')) {
    rows.reverse();
  }
  const names = outputs.map((o) => o.members[0].dimension.name);
  const result = { labels: ['time', ...names], data: rows };
  if (!r.options.has('jsonwrap')) {
    return json(200, result);
  }

  const asked = canonicalOptions(words);
  const pointsWord =
    asked.includes('natural-points') || asked.includes('virtual-points')
      ? []
      : isRelative(after) && (before === 0 || isRelative(before))
        ? ['natural-points']
        : ['virtual-points'];
  const dimensionsPart = dimensionParams.length > 0 ? dimensionParams.map((d) => `|${d}`).join('') : '*';
  const groupPart = `${group}${query.last('group_options') ?? ''}`;
  const tail =
    `dimensions:${dimensionsPart}/after:${afterText}/before:${beforeText}/points:${pointsAsked}` +
    `/group:${groupPart}/options:${asked.join(',')}${gtime > 0 ? `/resampling:${gtime}` : ''}`;
  const id =
    context === undefined
      ? `chart://host:${host.nm}/instance:${chart}/${tail}`
      : `context://host:${host.nm}/contexts:${context}/instances:${chart ?? '*'}/${tail}`;

  const latest = outputs.map((o) => {
    for (let i = o.values.length - 1; i >= 0; i--) {
      const v = o.values[i];
      if (v !== null) {
        return num(v);
      }
    }
    return null;
  });
  const values = outputs.flatMap((o) => o.values.filter((v): v is number => v !== null));
  const doc: JsonObject = {
    api: 1,
    id,
    name: id,
    view_update_every: r.view.updateEvery,
    update_every: r.db?.updateEvery ?? 0,
    first_entry: r.db?.firstEntry ?? 0,
    last_entry: r.db?.lastEntry ?? 0,
    before: r.view.viewBefore,
    after: r.view.viewAfter,
    group: r.timeGrouping.name,
    options: [...asked, ...pointsWord].join(','),
    dimension_names: names,
    dimension_ids: outputs.map((o) => o.members[0].dimension.id),
    functions: [],
  };
  if (context !== undefined) {
    doc.chart_ids = outputs.map((o) => o.members[0].instance.id);
    if (labelKey !== undefined) {
      // Keys named literally in chart_label_key; a chart without the label gives null (the spec is silent).
      const labels: JsonObject = {};
      for (const key of labelKey.split(/[,|]/).filter((k) => k !== '' && !k.includes('*') && !k.startsWith('!'))) {
        labels[key] = outputs.map((o) => o.members[0].instance.labels[key] ?? null);
      }
      doc.chart_labels = labels;
    }
  }
  Object.assign(doc, {
    latest_values: latest,
    view_latest_values: latest,
    dimensions: outputs.length,
    points: rows.length,
    format: 'json',
    db_points_per_tier: (r.db?.perTier ?? []).map((t) => t.points),
    result,
    min: values.length > 0 ? num(values.reduce((a, b) => Math.min(a, b))) : null,
    max: values.length > 0 ? num(values.reduce((a, b) => Math.max(a, b))) : null,
  });
  return json(200, doc);
}
