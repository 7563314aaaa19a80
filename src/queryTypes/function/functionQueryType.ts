import { parseFunctionQuery } from '../../netdata/functions';
import { FUNCTION_QUERY_TYPE } from '../../netdata/queryType';
import type { QueryTypeDefinition } from '../queryTypeDefinition';
import { interpolateScope, invalidText } from '../scope';
import { FunctionQueryEditor } from './FunctionQueryEditor';

export const functionQueryType: QueryTypeDefinition = {
  queryType: FUNCTION_QUERY_TYPE,
  label: 'Function',
  description: 'A Netdata function as a table: mounts, block devices, interfaces, processes, containers…',
  selectable: true,
  Editor: FunctionQueryEditor,
  migrate: (query) => query,
  defaultQuery: () => ({ queryType: FUNCTION_QUERY_TYPE }),
  isRunnable: (query) => !!query.function,
  displayText: (query) => {
    const parsed = parseFunctionQuery(query);
    return parsed.ok
      ? `Function ${parsed.value.function}${parsed.value.args ? ` ${parsed.value.args}` : ''}${parsed.value.node ? ` on ${parsed.value.node}` : ''}`
      : invalidText('Function', parsed.error);
  },
  interpolate: interpolateScope,
};
