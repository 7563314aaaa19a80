// "Save & test" for an Agent/Parent: which Netdata and API answer, then one small data-API request proving
// that the token (if bearer protection is on) is accepted.
import { parseNodes } from '../../netdata/catalog';
import { nodeTotalsFromInfo, nodeTotalsFromList, nodeTotalsText, type NodeTotals } from '../../netdata/nodeTotals';
import { detectAgentApi } from '../datasource/agentApi';
import type { DataSourceInstance } from '../datasource/instance';
import type { RequestOptions } from '../datasource/httpClient';
import { AUTH_STATUSES, NetdataRequestError } from '../datasource/requestError';
import type { CheckHealthResponseMsg } from '../protocol/messages';
import { checkV1Health } from '../v1/v1Health';
import { errorText, healthError, healthOk, shownUrl } from './healthResult';

export async function checkAgentHealth(
  inst: DataSourceInstance,
  opts: RequestOptions
): Promise<CheckHealthResponseMsg> {
  const url = shownUrl(inst.settings.baseUrl, inst.settings.hostNode);
  let detected;
  try {
    detected = await detectAgentApi(inst.unscopedClient, opts);
  } catch (err) {
    // A request that never got an answer failed at connecting; one that did, at reading Netdata's info.
    const connecting =
      err instanceof NetdataRequestError && ['dns', 'refused', 'tls', 'network', 'timeout'].includes(err.kind);
    return healthError(errorText(err), connecting ? 'connect' : 'info', err);
  }
  if (detected.api === 1 && detected.v1 !== undefined) {
    return checkV1Health(inst, detected.v1, opts);
  }
  const { api, info } = detected;
  const version = info.version || '(unknown version)';
  try {
    // /api/v3/info is public even with bearer protection on; this request is not.
    await inst.client.getJson(`/api/v${api}/contexts?scope_contexts=system.cpu`, opts);
  } catch (err) {
    if (
      err instanceof NetdataRequestError &&
      err.upstreamStatus !== undefined &&
      AUTH_STATUSES.includes(err.upstreamStatus)
    ) {
      const sent = inst.settings.token ? ' and did not accept the token sent' : ' and no token is set';
      return healthError(
        `Netdata ${version} at ${url} answered ${err.upstreamStatus}: the agent has bearer protection on${sent}: ` +
          'paste a valid agent bearer token (agent tokens expire after 24 hours; a Netdata Cloud API token is not accepted)',
        'data',
        err
      );
    }
    return healthError(
      `Netdata ${version} at ${url} answered its info request, but its data API failed: ${errorText(err)}`,
      'data',
      err
    );
  }
  let totals: NodeTotals | undefined = nodeTotalsFromInfo(info);
  if (totals === undefined) {
    // v1.41–v1.47 info has no node counts: the Parent's node list has them.
    try {
      totals = nodeTotalsFromList(parseNodes(await inst.unscopedClient.getJson(`/api/v${api}/nodes`, opts)));
    } catch (err) {
      return healthError(
        `Netdata ${version} at ${url} answered its info request, but its node list failed: ${errorText(err)}`,
        'data',
        err
      );
    }
  }
  const protection = info.bearerProtection ? ' (bearer protection on, token accepted)' : '';
  const scope =
    detected.node === undefined
      ? nodeTotalsText(totals)
      : `node ${detected.node.hostname} of a Parent with ${nodeTotalsText(totals)}`;
  return healthOk(`Connected to Netdata ${version} (API v${api}) at ${url}: ${scope}${protection}`, {
    transport: 'agent',
    version: info.version,
    api,
    nodes: totals.live,
    ...(totals.other > 0 ? { [totals.otherWord]: totals.other } : {}),
    hostname: detected.node?.hostname ?? info.hostname,
    bearerProtection: info.bearerProtection,
  });
}
