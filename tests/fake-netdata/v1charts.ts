// `GET /api/v1/charts` (netdata-api-extra.md §4.3): the charts of one host, keyed by chart id, in 1.37.1's key order.

import { v1AlarmId } from './alertTransitions';
import type { NodeDef } from './dataset';
import { TIERS, tierRetention } from './dataset';
import type { JsonObject } from './json2';

export function v1ChartsResponse(host: NodeDef, allHosts: NodeDef[], wallSec: number): JsonObject {
  const now = wallSec - 1;
  const charts: JsonObject = {};
  let dimensionsCount = 0;
  let alarmsCount = 0;
  for (const inst of host.instances) {
    const ctx = inst.context;
    const retentions = [...Array(TIERS).keys()].map((t) => tierRetention(host, inst, t, now)).filter((r) => r);
    const first = Math.min(...retentions.map((r) => r!.first));
    const last = Math.max(...retentions.map((r) => r!.last));
    const dimensions: JsonObject = {};
    // Hidden dimensions are not listed (§4.3).
    for (const d of ctx.dimensions.filter((x) => !x.hidden)) {
      dimensions[d.id] = { name: d.name };
    }
    dimensionsCount += ctx.dimensions.length;
    const alarms: JsonObject = {};
    for (const a of inst.alerts) {
      alarms[a.name] = { id: v1AlarmId(inst.id, a.name), status: a.status, units: ctx.units, update_every: 10 };
      alarmsCount++;
    }
    charts[inst.id] = {
      id: inst.id,
      name: inst.name,
      type: inst.id.split('.')[0],
      family: ctx.family,
      context: ctx.id,
      // 1.37 appends the chart name to the title (§4.3 trap).
      title: `${ctx.title} (${inst.name})`,
      priority: ctx.priority,
      plugin: ctx.plugin,
      module: ctx.module,
      units: ctx.units,
      data_url: `/api/v1/data?chart=${inst.id}`,
      chart_type: ctx.chartType,
      duration: last - first + ctx.updateEvery,
      first_entry: first,
      last_entry: last,
      update_every: ctx.updateEvery,
      dimensions,
      chart_variables: {},
      green: null,
      red: null,
      alarms,
      chart_labels: { ...inst.labels },
      functions: {},
    };
  }
  return {
    hostname: host.nm,
    version: host.version,
    release_channel: 'stable',
    os: 'linux',
    timezone: 'Etc/UTC',
    update_every: 1,
    history: 0,
    memory_mode: 'dbengine',
    custom_info: '',
    charts,
    charts_count: host.instances.length,
    dimensions_count: dimensionsCount,
    alarms_count: alarmsCount,
    rrd_memory_bytes: 305608,
    hosts_count: allHosts.length,
    hosts: allHosts.map((h) => ({ hostname: h.nm })),
  };
}
