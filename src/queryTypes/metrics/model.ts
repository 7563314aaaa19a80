import type { NetdataQuery } from '../../types';

/** Defaults for a new query in a dashboard or Explore: every agent and Cloud room has `system.cpu`. */
export const DEFAULT_QUERY: Partial<NetdataQuery> = {
  context: 'system.cpu',
  groupBy: ['dimension'],
  aggregation: 'avg',
  timeGroup: 'average',
};

/** Defaults for a new alert rule query: one series per node (total CPU utilisation), the natural alert instance. */
export const DEFAULT_ALERTING_QUERY: Partial<NetdataQuery> = {
  context: 'system.cpu',
  groupBy: ['node'],
  aggregation: 'sum',
  timeGroup: 'average',
};
