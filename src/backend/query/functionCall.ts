// What function and logs queries share: which endpoint family the agent has for functions, and Netdata's function
// errors (§5.2 of netdata-api-extra.md) turned into per-query messages that say what to do. Never retried here: a
// 412 stays a 412 until the data source gets a signed-in token.
import { functionErrorMessage, functionFailure } from '../../netdata/functions';
import { versionAtLeast } from '../datasource/agentApi';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import type { DataResponseMsg } from '../protocol/messages';
import { errorResponse, responseForError } from './dataResponse';

export const V137_FUNCTIONS =
  'This Netdata agent (older than v1.41) serves functions only to Netdata Cloud, not over HTTP: upgrade the agent, ' +
  'or use the functions in Netdata Cloud';

export const CLOUD_FUNCTIONS =
  'Netdata functions and logs are queried from an Agent or Parent: this data source talks to Netdata Cloud, whose ' +
  'function endpoint this plugin does not support yet. Add a data source for the Agent/Parent (with a bearer token ' +
  'for functions that need a signed-in user)';

/** 3 → `/api/v3/function`, 2 → `/api/v1/function` (v1.41–v1.99); refuses Cloud and agents before v1.41. */
export async function functionsApi(inst: DataSourceInstance, signal?: AbortSignal): Promise<2 | 3> {
  if (inst.settings.transport !== 'agent') {
    throw new NetdataRequestError('bad-query', CLOUD_FUNCTIONS, 400, 'plugin');
  }
  let detected;
  try {
    detected = await inst.agentApi(signal);
  } catch (err) {
    if (err instanceof NetdataRequestError && err.kind === 'too-old') {
      throw new NetdataRequestError('too-old', V137_FUNCTIONS, 501, 'downstream');
    }
    throw err;
  }
  const version = detected.info.version;
  if (detected.api === 1 || detected.infoApi === 1 || (version !== '' && !versionAtLeast(version, [1, 41]))) {
    throw new NetdataRequestError('too-old', V137_FUNCTIONS, 501, 'downstream');
  }
  return detected.api;
}

/** A failed function call: Netdata's JSON function errors get a message naming the function and the remedy. */
export function functionErrorResponse(err: unknown, name: string): DataResponseMsg {
  if (err instanceof NetdataRequestError && err.kind === 'http' && err.upstreamStatus !== undefined) {
    const said = functionErrorMessage(err.upstreamBody);
    if (said !== undefined) {
      return errorResponse(functionFailure(name, err.upstreamStatus, said), err.upstreamStatus, 'downstream');
    }
  }
  return responseForError(err);
}
