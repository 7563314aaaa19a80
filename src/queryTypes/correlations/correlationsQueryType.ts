import { correlationsDisplayText, DEFAULT_CORRELATIONS, parseCorrelationsQuery } from '../../netdata/correlations';
import { CORRELATIONS_QUERY_TYPE } from '../../netdata/queryType';
import type { QueryTypeDefinition } from '../queryTypeDefinition';
import { interpolateScope, invalidText } from '../scope';
import { CorrelationsQueryEditor } from './CorrelationsQueryEditor';

export const correlationsQueryType: QueryTypeDefinition = {
  queryType: CORRELATIONS_QUERY_TYPE,
  label: 'Correlations',
  description: 'Ranks the series that changed most in the time range against a baseline before it',
  selectable: true,
  Editor: CorrelationsQueryEditor,
  migrate: (query) => query,
  defaultQuery: () => ({
    queryType: CORRELATIONS_QUERY_TYPE,
    contexts: DEFAULT_CORRELATIONS.contexts,
    method: DEFAULT_CORRELATIONS.method,
  }),
  isRunnable: () => true,
  displayText: (query) => {
    const parsed = parseCorrelationsQuery(query);
    return parsed.ok ? correlationsDisplayText(parsed.value) : invalidText('Correlations', parsed.error);
  },
  interpolate: interpolateScope,
};
