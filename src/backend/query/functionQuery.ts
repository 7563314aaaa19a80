// A function query (`queryType: "function"`): run one Netdata function on a node and answer its table as a Grafana
// table frame (netdata-api-extra.md §5.3).
import { functionPath, functionTableFrame, parseFunctionQuery, parseFunctionTable } from '../../netdata/functions';
import type { DataSourceInstance } from '../datasource/instance';
import { encodeFrame } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { badQuery, errorResponse, successResponse } from './dataResponse';
import { functionErrorResponse, functionsApi } from './functionCall';
import { type QueryInput, queryTiming } from './queryRequest';

export async function runFunctionQuery(
  inst: DataSourceInstance,
  { q, json, refId }: QueryInput,
  ctx: CallContext
): Promise<DataResponseMsg> {
  const parsed = parseFunctionQuery(json);
  if (!parsed.ok) {
    return badQuery(`Query ${refId}: ${parsed.error}`);
  }
  const model = parsed.value;
  const timing = queryTiming(inst, ctx);
  try {
    const api = await functionsApi(inst, timing.fetch.signal);
    const path = functionPath(model, api, timing.netdataTimeoutMs / 1000);
    const body = await inst.client.getJson(path, timing.fetch);
    const table = parseFunctionTable(body);
    if (!table.ok) {
      return errorResponse(
        `Netdata's answer to the function ${model.function} is not a function table: ${table.error}`,
        502,
        'downstream'
      );
    }
    return successResponse([encodeFrame(functionTableFrame(table.value, q.refId, model.function, path))]);
  } catch (err) {
    return functionErrorResponse(err, model.function);
  }
}
