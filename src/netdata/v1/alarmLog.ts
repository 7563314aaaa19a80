// Alert annotations on Netdata 1.37: `/api/v1/alarm_log` per node (netdata-api-extra.md §4.6) → the transitions the
// v2 path makes frames of. The log has no time filter (its `after` is an entry id), so the window, statuses,
// context and alert name are applied here.
import type { AlertQueryModel, AlertTransition, FrameNotice, QueryWindow } from '../types';
import { dataWindow } from '../window';
import type { V1AlarmLogEntry, V1Node } from './types';

/** `[health] in memory max health log entries` default: the most one request returns (§8.7). */
export const V1_ALARM_LOG_CAP = 1000;

export function v1AlarmLogPath(node: V1Node): string {
  return `${node.prefix}/api/v1/alarm_log`;
}

export function v1Transitions(
  q: AlertQueryModel,
  w: QueryWindow,
  node: V1Node,
  entries: readonly V1AlarmLogEntry[]
): AlertTransition[] {
  const { after, before } = dataWindow(w);
  const statuses = new Set<string>(q.alertStatuses);
  const out: AlertTransition[] = [];
  for (const e of entries) {
    if (e.when < after || e.when > before) {
      continue;
    }
    if (statuses.size > 0 && !statuses.has(e.status.toUpperCase())) {
      continue;
    }
    if (q.context !== undefined && e.context !== q.context) {
      continue;
    }
    if (q.alert !== undefined && e.name !== q.alert) {
      continue;
    }
    const t: AlertTransition = {
      alert: e.name,
      when: e.when,
      transitionId: String(e.uniqueId),
      machineGuid: node.machineGuid,
      hostname: e.hostname || node.hostname,
      instance: e.chart,
      instanceName: e.chart,
      newStatus: e.status,
      newValue: e.value,
      oldStatus: e.oldStatus,
      oldValue: e.oldValue,
    };
    if (node.nodeId !== undefined) {
      t.nodeId = node.nodeId;
    }
    for (const key of ['context', 'component', 'classification', 'type', 'info', 'units'] as const) {
      const value = e[key];
      if (value !== undefined) {
        t[key] = value;
      }
    }
    out.push(t);
  }
  return out;
}

/** A full log whose oldest entry is inside the window may have lost older ones: say so. */
export function v1AlarmLogNotice(
  w: QueryWindow,
  node: V1Node,
  entries: readonly V1AlarmLogEntry[]
): FrameNotice | undefined {
  if (entries.length < V1_ALARM_LOG_CAP) {
    return undefined;
  }
  const oldest = Math.min(...entries.map((e) => e.when));
  if (oldest <= dataWindow(w).after) {
    return undefined;
  }
  return {
    severity: 'warning',
    text:
      `Netdata 1.37 returns at most ${V1_ALARM_LOG_CAP} alert log entries per node: transitions of ${node.hostname} ` +
      `before ${new Date(oldest * 1000).toISOString()} are not shown`,
  };
}
