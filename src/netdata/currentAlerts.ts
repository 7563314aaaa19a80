// The saved model of a current-alerts query (queryType `alerts`): the alert instances running now, filtered by
// status and scope (netdata-api-extra.md §3). The alert history as annotations is `alertTransitions`.
import { ALERTS_QUERY_TYPE } from './queryType';
import { ModelError, pathIdField, patternList, patternText, readModel, shortList, type Raw } from './modelFields';
import type { Result } from './types';

export type AlertInstanceStatus = 'CRITICAL' | 'WARNING' | 'CLEAR' | 'UNDEFINED' | 'UNINITIALIZED';

export const ALERT_INSTANCE_STATUSES: readonly AlertInstanceStatus[] = [
  'CRITICAL',
  'WARNING',
  'CLEAR',
  'UNDEFINED',
  'UNINITIALIZED',
];

export interface CurrentAlertsQueryModel {
  queryType: typeof ALERTS_QUERY_TYPE;
  nodes: string[];
  /** Netdata pattern on the context of the alert's instance. */
  contexts: string;
  /** Netdata pattern on the alert name (case-sensitive). */
  alert?: string;
  /** Statuses shown; an empty list in saved JSON means the default. */
  statuses: AlertInstanceStatus[];
  spaceId?: string;
  roomId?: string;
}

export const DEFAULT_CURRENT_ALERTS: CurrentAlertsQueryModel = {
  queryType: ALERTS_QUERY_TYPE,
  nodes: [],
  contexts: '*',
  statuses: ['CRITICAL', 'WARNING'],
};

function statusList(raw: Raw): AlertInstanceStatus[] {
  const value = raw.statuses;
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    return [...DEFAULT_CURRENT_ALERTS.statuses];
  }
  if (!Array.isArray(value)) {
    throw new ModelError(`query.statuses must be an array (${ALERT_INSTANCE_STATUSES.join(', ')})`);
  }
  const out: AlertInstanceStatus[] = [];
  value.forEach((v, i) => {
    const word = typeof v === 'string' ? v.trim().toUpperCase() : undefined;
    const status = ALERT_INSTANCE_STATUSES.find((s) => s === word);
    if (status === undefined) {
      throw new ModelError(`query.statuses[${i}] must be one of ${ALERT_INSTANCE_STATUSES.join(', ')}`);
    }
    if (!out.includes(status)) {
      out.push(status);
    }
  });
  return out;
}

/** Validates the saved JSON of a current-alerts query (untrusted) and fills defaults. */
export function parseCurrentAlertsQuery(raw: unknown): Result<CurrentAlertsQueryModel> {
  return readModel(raw, (r) => {
    const model: CurrentAlertsQueryModel = {
      queryType: ALERTS_QUERY_TYPE,
      nodes: patternList(r, 'nodes'),
      contexts: patternText(r, 'contexts', DEFAULT_CURRENT_ALERTS.contexts) ?? '*',
      statuses: statusList(r),
    };
    const alert = patternText(r, 'alert', undefined);
    if (alert !== undefined && alert !== '*') {
      model.alert = alert;
    }
    const spaceId = pathIdField(r, 'spaceId');
    const roomId = pathIdField(r, 'roomId');
    if (spaceId !== undefined) {
      model.spaceId = spaceId;
    }
    if (roomId !== undefined) {
      model.roomId = roomId;
    }
    return model;
  });
}

/** One line for Explore's query history: `Alerts CRITICAL, WARNING of disk.* (disk_space_*) on web1`. */
export function currentAlertsDisplayText(m: CurrentAlertsQueryModel): string {
  let text = `Alerts ${m.statuses.join(', ')}`;
  if (m.contexts !== '*') {
    text += ` of ${m.contexts}`;
  }
  if (m.alert !== undefined) {
    text += ` (${m.alert})`;
  }
  if (m.nodes.length > 0) {
    text += ` on ${shortList(m.nodes)}`;
  }
  return text;
}
