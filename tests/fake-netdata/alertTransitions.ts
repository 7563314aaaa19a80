// Alert history of the fake (netdata-api.md §4.6, §6.4, §8.6): every alert of every instance is raised once per hour
// and cleared some minutes later, at times that depend only on (node, alert, hour), so the same window always gets the
// same transitions. The Agent GET and the Cloud POST filter the same history.

import type { AlertStatus, Dataset, InstanceDef, NodeDef } from './dataset';
import type { SimplePattern } from './patterns';
import { compileSimplePattern, matchesAny } from './patterns';
import { isRelative } from './window';

export const ALERT_PERIOD_S = 3600;

export interface AlertTransitionsFilter {
  /** Absolute or relative seconds (§2.3); both absent means the SQL window 0..0 (nothing). */
  after?: number;
  before?: number;
  nodes?: SimplePattern;
  /** Cloud: node ids. */
  nodeIds?: string[];
  /** Exact. */
  contexts?: string[];
  /** Exact. */
  alerts?: string[];
  /** Case-insensitive pattern on the new status (the `f_status` facet). */
  status?: SimplePattern;
  last: number;
  /** Only transitions with a global id above this one (§4.6, netdata-api-extra.md §8 rule 7). */
  anchorGi?: number;
}

interface Transition {
  node: NodeDef;
  inst: InstanceDef;
  alert: string;
  when: number;
  newStatus: AlertStatus;
  oldStatus: AlertStatus;
  newValue: number;
  oldValue: number;
  duration: number;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  }
  return h;
}

function uuidFrom(text: string): string {
  const hex = [0, 1, 2, 3].map((i) => hash(`${text}#${i}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function resolve(value: number | undefined, wallSec: number): number {
  if (value === undefined) {
    return 0;
  }
  return value <= 0 || isRelative(value) ? wallSec + value : value;
}

/** The raise and clear of one alert in one period (an hour, or shorter for a flapping alert). */
function periodTransitions(
  node: NodeDef,
  inst: InstanceDef,
  alert: string,
  slot: number,
  period: number
): Transition[] {
  const seed = hash(`${node.mg}/${alert}`);
  const raiseAt = slot * period + (seed % Math.floor((period * 2) / 3));
  const lasts = Math.floor(period / 12) + (seed % Math.floor(period / 6));
  const raised: AlertStatus = slot % 4 === 0 ? 'CRITICAL' : 'WARNING';
  const high = raised === 'CRITICAL' ? 95.5 : 85.25;
  const low = 42.75;
  return [
    {
      node,
      inst,
      alert,
      when: raiseAt,
      oldStatus: 'CLEAR',
      newStatus: raised,
      oldValue: low,
      newValue: high,
      duration: period - lasts,
    },
    {
      node,
      inst,
      alert,
      when: raiseAt + lasts,
      oldStatus: raised,
      newStatus: 'CLEAR',
      oldValue: high,
      newValue: low,
      duration: lasts,
    },
  ];
}

function history(dataset: Dataset, from: number, to: number): Transition[] {
  const out: Transition[] = [];
  const period = dataset.alertPeriodS ?? ALERT_PERIOD_S;
  for (const node of dataset.nodes) {
    const start = Math.max(from, node.retentionStart);
    for (const inst of node.instances) {
      for (const { name } of inst.alerts) {
        for (let slot = Math.floor(start / period) - 1; slot * period <= to; slot++) {
          out.push(...periodTransitions(node, inst, name, slot, period).filter((t) => t.when >= start && t.when <= to));
        }
      }
    }
  }
  return out;
}

function transitionKey(t: Transition): string {
  return `${t.node.mg}/${t.inst.id}/${t.alert}/${t.when}`;
}

/** The global id: a µs timestamp (§4.6). */
function globalId(t: Transition): number {
  return t.when * 1_000_000 + (hash(transitionKey(t)) % 1_000_000);
}

function render(t: Transition, notifyTo: string): Record<string, unknown> {
  const id = transitionKey(t);
  return {
    gi: globalId(t),
    alert: t.alert,
    transition_id: uuidFrom(id),
    machine_guid: t.node.mg,
    ...(t.node.nd ? { node_id: t.node.nd } : {}),
    config_hash_id: uuidFrom(`${t.inst.context.id}/${t.alert}`),
    hostname: t.node.nm,
    instance: t.inst.id,
    instance_n: t.inst.name,
    context: t.inst.context.id,
    component: t.inst.context.family,
    classification: 'Utilization',
    type: 'System',
    when: t.when,
    info: `${t.inst.context.title} alert ${t.alert}`,
    summary: `${t.inst.context.title} (${t.alert})`,
    units: t.inst.context.units,
    new: { status: t.newStatus, value: t.newValue },
    old: {
      status: t.oldStatus,
      value: t.oldValue,
      duration: t.duration,
      raised_duration: t.oldStatus === 'CLEAR' ? 0 : t.duration,
    },
    notification: {
      when: t.when + 1,
      delay: 0,
      delay_up_to_time: 0,
      flags: [],
      exec: '/usr/libexec/netdata/plugins.d/alarm-notify.sh',
      exec_code: 0,
      to: notifyTo,
    },
  };
}

const FACETS: Array<[string, string]> = [
  ['f_status', 'Alert Status'],
  ['f_type', 'Alert Type'],
  ['f_role', 'Recipient Role'],
  ['f_class', 'Alert Class'],
  ['f_component', 'Alert Component'],
  ['f_node', 'Alert Node'],
  ['f_alert', 'Alert Name'],
  ['f_instance', 'Alert Instance'],
  ['f_context', 'Alert Context'],
];

function facetValue(id: string, t: Transition): string {
  switch (id) {
    case 'f_status':
      return t.newStatus;
    case 'f_type':
      return 'System';
    case 'f_role':
      return 'sysadmin';
    case 'f_class':
      return 'Utilization';
    case 'f_component':
      return t.inst.context.family;
    case 'f_node':
      return t.node.mg;
    case 'f_alert':
      return t.alert;
    case 'f_instance':
      return t.inst.id;
    default:
      return t.inst.context.id;
  }
}

/** Compiles `f_status`: facet filters are case-insensitive (§4.6). */
export function caseInsensitivePattern(text: string | undefined): SimplePattern | undefined {
  return compileSimplePattern(text?.toUpperCase());
}

/** The `{ api, facets, transitions, items, timings }` document of §4.6 (Cloud answers `{ api, transitions }`). */
export function alertTransitionsDocument(
  dataset: Dataset,
  filter: AlertTransitionsFilter,
  wallSec: number,
  shape: 'agent' | 'cloud'
): Record<string, unknown> {
  const empty = filter.after === undefined && filter.before === undefined;
  const after = resolve(filter.after, wallSec);
  const before = filter.before === undefined ? 0 : resolve(filter.before, wallSec);
  const evaluated = empty ? [] : history(dataset, after, Math.min(before, wallSec));
  const selected = evaluated.filter(
    (t) =>
      matchesAny(filter.nodes, [t.node.nm, t.node.mg, t.node.nd]) &&
      (filter.nodeIds === undefined ||
        filter.nodeIds.length === 0 ||
        (t.node.nd !== undefined && filter.nodeIds.includes(t.node.nd))) &&
      (filter.contexts === undefined || filter.contexts.length === 0 || filter.contexts.includes(t.inst.context.id)) &&
      (filter.alerts === undefined || filter.alerts.length === 0 || filter.alerts.includes(t.alert))
  );
  const statusMatched = selected.filter((t) => !filter.status || filter.status.matches(t.newStatus.toUpperCase()));
  const anchor = filter.anchorGi ?? 0;
  const matched = statusMatched.filter((t) => globalId(t) > anchor);
  matched.sort((a, b) => b.when - a.when || a.node.nm.localeCompare(b.node.nm) || a.alert.localeCompare(b.alert));
  // The newest `last` are kept; `items.after` counts the older matching ones left out (netdata-api-extra.md §8.7).
  const returned = matched.slice(0, Math.max(1, filter.last));
  const transitions = returned.map((t) => render(t, 'sysadmin'));
  if (shape === 'cloud') {
    return { api: 2, transitions };
  }
  const facets = FACETS.map(([id, name], order) => {
    const counts = new Map<string, number>();
    for (const t of selected) {
      const v = facetValue(id, t);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return { id, name, order: order + 1, options: [...counts].map(([v, count]) => ({ id: v, name: v, count })) };
  });
  return {
    api: 2,
    facets,
    transitions,
    items: {
      evaluated: evaluated.length,
      matched: matched.length,
      returned: returned.length,
      max_to_return: filter.last,
      before: statusMatched.length - matched.length,
      after: matched.length - returned.length,
    },
    timings: { routing_ms: 0, node_max_ms: 0, total_ms: 0.5 },
  };
}

/**
 * `/api/v1/alarm_log` of one host (netdata-api-extra.md §4.6): the same history, newest first, entries with
 * `unique_id > after` (an id, not a time), at most `cap` of the newest. Ids count the host's transitions in time order.
 */
export function alarmLogEntries(
  node: NodeDef,
  wallSec: number,
  after: number,
  chart?: string,
  cap = 1000
): Array<Record<string, unknown>> {
  const all = history({ nodes: [node] } as Dataset, node.retentionStart, wallSec - 1);
  all.sort((a, b) => a.when - b.when || a.inst.id.localeCompare(b.inst.id) || a.alert.localeCompare(b.alert));
  const base = node.retentionStart;
  const events = new Map<string, number>();
  const entries = all.map((t, i) => {
    const key = `${t.inst.id}/${t.alert}`;
    const event = (events.get(key) ?? 0) + 1;
    events.set(key, event);
    const units = t.inst.context.units;
    return {
      hostname: node.nm,
      utc_offset: 0,
      timezone: 'UTC',
      unique_id: base + 1000 + i,
      alarm_id: v1AlarmId(t.inst.id, t.alert),
      alarm_event_id: event,
      config_hash_id: uuidFrom(`${t.inst.context.id}/${t.alert}`),
      name: t.alert,
      chart: t.inst.id,
      context: t.inst.context.id,
      family: t.inst.context.family,
      class: 'Utilization',
      component: t.inst.context.family,
      type: 'System',
      processed: true,
      updated: false,
      exec_run: t.when,
      exec_failed: false,
      exec: '/usr/lib/netdata/plugins.d/alarm-notify.sh',
      recipient: 'sysadmin',
      exec_code: 0,
      source: `1@/usr/lib/netdata/conf.d/health.d/${t.inst.context.family}.conf`,
      command: `sudo /etc/netdata/edit-config health.d/${t.inst.context.family}.conf=1=${node.nm}`,
      units,
      when: t.when,
      duration: t.duration,
      non_clear_duration: t.oldStatus === 'CLEAR' ? 0 : t.duration,
      status: t.newStatus,
      old_status: t.oldStatus,
      delay: 0,
      delay_up_to_timestamp: t.when,
      updated_by_id: 0,
      updates_id: 0,
      value_string: `${t.newValue} ${units}`,
      old_value_string: `${t.oldValue} ${units}`,
      last_repeat: '0',
      silenced: 'false',
      info: `${t.inst.context.title} alert ${t.alert}`,
      value: t.newValue,
      old_value: t.oldValue,
    };
  });
  return entries
    .filter((e) => e.unique_id > after && (chart === undefined || e.chart === chart))
    .reverse()
    .slice(0, cap);
}

/** The `alarm_id` of an alert on a chart, the same in `/api/v1/charts` and `/api/v1/alarm_log`. */
export function v1AlarmId(chart: string, alert: string): number {
  return hash(`${chart}/${alert}`) % 1_000_000_000;
}
