import { currentAlertsDisplayText, DEFAULT_CURRENT_ALERTS, parseCurrentAlertsQuery } from '../../netdata/currentAlerts';
import { ALERTS_QUERY_TYPE } from '../../netdata/queryType';
import type { QueryTypeDefinition } from '../queryTypeDefinition';
import { interpolateScope, invalidText } from '../scope';
import { AlertsQueryEditor } from './AlertsQueryEditor';

export const alertsQueryType: QueryTypeDefinition = {
  queryType: ALERTS_QUERY_TYPE,
  label: 'Alerts',
  description: 'The alert instances running now, with status, value and since when',
  selectable: true,
  Editor: AlertsQueryEditor,
  migrate: (query) => query,
  defaultQuery: () => ({
    queryType: ALERTS_QUERY_TYPE,
    contexts: DEFAULT_CURRENT_ALERTS.contexts,
    statuses: [...DEFAULT_CURRENT_ALERTS.statuses],
  }),
  isRunnable: () => true,
  displayText: (query) => {
    const parsed = parseCurrentAlertsQuery(query);
    return parsed.ok ? currentAlertsDisplayText(parsed.value) : invalidText('Alerts', parsed.error);
  },
  interpolate: interpolateScope,
};
