import { DEFAULT_ALERT_STATUSES } from '../../netdata/alertTransitions';
import { ALERT_TRANSITIONS_QUERY_TYPE } from '../../netdata/queryType';
import { interpolateQuery } from '../../templateVariables';
import type { NetdataQuery } from '../../types';
import type { QueryTypeDefinition } from '../queryTypeDefinition';
import { AlertTransitionsEditor } from './AlertTransitionsEditor';

export const alertTransitionsQueryType: QueryTypeDefinition = {
  queryType: ALERT_TRANSITIONS_QUERY_TYPE,
  label: 'Alert transitions',
  description: 'Alert status changes, as annotations',
  selectable: false,
  Editor: AlertTransitionsEditor,
  migrate: (query) => query,
  defaultQuery: () => ({ queryType: ALERT_TRANSITIONS_QUERY_TYPE, alertStatuses: [...DEFAULT_ALERT_STATUSES] }),
  // Alert queries need no context: empty filters mean every alert.
  isRunnable: () => true,
  displayText: alertTransitionsDisplayText,
  interpolate: (query, scopedVars, templateSrv) => {
    const out = interpolateQuery(query, scopedVars, templateSrv);
    return query.alert ? { ...out, alert: templateSrv.replace(query.alert, scopedVars) } : out;
  },
};

/** Alert transitions from Netdata's alert history as annotations: prepareQuery marks the query's type. */
export function prepareAlertTransitionsQuery(target: NetdataQuery | undefined): NetdataQuery | undefined {
  return target ? { ...target, refId: target.refId || 'Anno', queryType: ALERT_TRANSITIONS_QUERY_TYPE } : undefined;
}

function alertTransitionsDisplayText(query: NetdataQuery): string {
  const parts = [
    `alert transitions to ${(query.alertStatuses?.length ? query.alertStatuses : DEFAULT_ALERT_STATUSES).join(', ')}`,
  ];
  if (query.alert) {
    parts.push(`alert: ${query.alert}`);
  }
  if (query.context) {
    parts.push(`context: ${query.context}`);
  }
  if (query.nodes?.length) {
    parts.push(`nodes: ${query.nodes.join(', ')}`);
  }
  return parts.join(' · ');
}
