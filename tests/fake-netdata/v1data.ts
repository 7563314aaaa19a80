// `GET /api/v1/data` (netdata-api.md §5.4, netdata-api-extra.md §4.5): one host, `chart=` or `context=`, plain-number
// rows, optional jsonwrap. v1 never aggregates across charts: a context query has one column per chart × dimension
// (with `chart_ids[]`), and `options` is echoed as one comma-separated string.

import type { NodeDef } from './dataset';
import type { DataRequest } from './dataRequest';
import type { JsonObject } from './json2';
import { num } from './json2';
import type { EngineContext } from './query';
import { runDataQuery } from './query';
import type { AgentQuery } from './queryString';
import { parseAgentInt, splitWords } from './queryString';
import type { Reply } from './reply';
import { json, text } from './reply';
import { atLeast } from './version';
import { v1DataReply137 } from './v1data137';

export function v1DataReply(query: AgentQuery, host: NodeDef, engine: EngineContext): Reply {
  if (!atLeast(engine.version, 1, 39)) {
    return v1DataReply137(query, host, engine);
  }
  const chart = query.last('chart');
  const context = query.last('context');
  if (chart === undefined && context === undefined) {
    return text(400, 'No chart or context is given.');
  }
  const optionWords = query.all('options').flatMap((o) => splitWords(o));
  const dimensionPatterns = query.allOf(['dimension', 'dimensions', 'dim', 'dims']);
  const after = query.last('after');
  const before = query.last('before');
  const points = parseAgentInt(query.last('points'));
  const tier = query.last('tier');
  const timeout = parseAgentInt(query.last('timeout'));
  if (timeout < 0) {
    return { status: 499, statusMessage: 'Client Closed Request', contentType: 'text/plain', body: '' };
  }
  const req: DataRequest = {
    scopeNodes: host.mg,
    scopeContexts: chart === undefined ? context : undefined,
    scopeInstances: chart,
    labels: query.last('chart_labels_filter'),
    dimensions: dimensionPatterns.length > 0 ? dimensionPatterns.join('|') : undefined,
    after: after === undefined ? undefined : parseAgentInt(after),
    before: before === undefined ? undefined : parseAgentInt(before),
    points: points > 0 ? points : 0,
    timeGroup: query.last('group'),
    timeGroupOptions: query.last('group_options'),
    tier: tier === undefined ? undefined : parseAgentInt(tier),
    // One column per chart × dimension (signs kept: the grouping keeps dimensions apart).
    passes: [{ groupBy: chart === undefined ? 'instance,dimension' : 'dimension', aggregation: 'average' }],
    options: optionWords,
  };
  const r = runDataQuery(req, { ...engine, dataset: { ...engine.dataset, nodes: [host] } });
  if (r.outputs.length === 0) {
    return text(404, 'No metrics where matched to query.');
  }
  const ms = r.options.has('ms');
  const null2zero = r.options.has('null2zero');
  const rows = r.rows.map((t, i) => [
    ms ? t * 1000 : t,
    ...r.outputs.map((o) => {
      const v = o.values[i];
      return v === null ? (null2zero ? 0 : null) : num(v);
    }),
  ]);
  if (!r.options.has('flip')) {
    rows.reverse();
  }
  const names = r.outputs.map((o) => o.attrs.dimension.name);
  const result = { labels: ['time', ...names], data: rows };
  if (!r.options.has('jsonwrap')) {
    return json(200, result, r.options.has('minify'));
  }
  const latest = r.outputs.map((o) => {
    for (let i = o.values.length - 1; i >= 0; i--) {
      const v = o.values[i];
      if (v !== null) {
        return num(v);
      }
    }
    return null;
  });
  const values = r.outputs.flatMap((o) => o.values.filter((v): v is number => v !== null));
  const queryId =
    chart !== undefined && context === undefined
      ? `chart://host:${host.nm}/instance:${chart}/dimensions:${dimensionPatterns.join('|') || '*'}`
      : `context://host:${host.nm}/contexts:${context}/instances:${chart ?? '*'}/dimensions:${dimensionPatterns.join('|') || '*'}`;
  const labelKey = query.last('chart_label_key');
  const contextColumns: JsonObject = {};
  if (chart === undefined || context !== undefined) {
    contextColumns.chart_ids = r.outputs.map((o) => o.attrs.instance.id);
    if (labelKey !== undefined) {
      const keys = labelKey.split(/[,|]/).filter((k) => k !== '');
      contextColumns.chart_labels = Object.fromEntries(
        keys.map((k) => [
          k,
          r.outputs.map(
            (o) => r.instances.find((i) => i.instance.id === o.attrs.instance.id)?.instance.labels[k] ?? null
          ),
        ])
      );
    }
  }
  const doc: JsonObject = {
    api: 1,
    id: queryId,
    name: queryId,
    view_update_every: r.view.updateEvery,
    update_every: r.db?.updateEvery ?? 0,
    first_entry: r.db?.firstEntry ?? 0,
    last_entry: r.db?.lastEntry ?? 0,
    after: r.view.viewAfter,
    before: r.view.viewBefore,
    group: r.timeGrouping.name,
    options: [...r.options].join(','),
    dimension_names: names,
    dimension_ids: r.outputs.map((o) => o.attrs.dimension.id),
    functions: [],
    ...contextColumns,
    latest_values: latest,
    view_latest_values: latest,
    dimensions: r.outputs.length,
    points: rows.length,
    format: 'json',
    db_points_per_tier: (r.db?.perTier ?? []).map((t) => t.points),
    result,
    min: values.length > 0 ? num(values.reduce((a, b) => Math.min(a, b))) : null,
    max: values.length > 0 ? num(values.reduce((a, b) => Math.max(a, b))) : null,
  };
  if (engine.version.major >= 2) {
    // 1.37 has no `timings` (netdata-api.md §5.4).
    doc.timings = {};
  }
  return json(200, doc, r.options.has('minify'));
}
