import { parseLogsQuery } from '../../netdata/logs';
import { LOGS_QUERY_TYPE } from '../../netdata/queryType';
import type { QueryTypeDefinition } from '../queryTypeDefinition';
import { interpolateScope, invalidText } from '../scope';
import { LogsQueryEditor } from './LogsQueryEditor';

export const logsQueryType: QueryTypeDefinition = {
  queryType: LOGS_QUERY_TYPE,
  label: 'Logs',
  description: 'systemd journal (or Windows events) lines for Explore: search, facet filters, levels, volume',
  selectable: true,
  Editor: LogsQueryEditor,
  migrate: (query) => query,
  defaultQuery: () => ({ queryType: LOGS_QUERY_TYPE, function: 'systemd-journal' }),
  isRunnable: () => true,
  displayText: (query) => {
    const parsed = parseLogsQuery(query);
    return parsed.ok
      ? `Logs ${parsed.value.function}${parsed.value.search ? ` "${parsed.value.search}"` : ''}`
      : invalidText('Logs', parsed.error);
  },
  interpolate: interpolateScope,
};
