// pluginv2.Data/QueryData: every query answered on its own; one failure never touches the others.
import type { InstanceCache } from '../datasource/instanceCache';
import type { Logger } from '../log/logger';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg, QueryDataRequestMsg, QueryDataResponseMsg } from '../protocol/messages';
import { errorResponse, responseForError } from './dataResponse';
import { runQuery } from './runQuery';

export async function queryData(
  req: QueryDataRequestMsg,
  instances: InstanceCache,
  ctx: CallContext,
  log: Logger
): Promise<QueryDataResponseMsg> {
  const queries = req.queries ?? [];
  const inst = instances.get(req.pluginContext?.dataSourceInstanceSettings);
  const answers = await Promise.all(
    queries.map(async (q): Promise<[string, DataResponseMsg]> => {
      const started = Date.now();
      let answer: DataResponseMsg;
      if (!inst.ok) {
        answer = errorResponse(inst.error, 400, 'plugin');
      } else {
        try {
          answer = await runQuery(inst.value, q, ctx, req.pluginContext?.dataSourceInstanceSettings?.uid ?? '');
        } catch (err) {
          answer = responseForError(err);
        }
      }
      log.debug('query answered', {
        refId: q.refId,
        status: answer.status,
        frames: answer.frames.length,
        error: answer.error,
        ms: Date.now() - started,
      });
      return [q.refId, answer];
    })
  );
  const responses: Record<string, DataResponseMsg> = {};
  for (const [refId, answer] of answers) {
    responses[refId] = answer;
  }
  return { responses };
}
