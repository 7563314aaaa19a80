// "Save & test" for an Agent/Parent: which Netdata and API answer, then one small data-API request proving
// that the token (if bearer protection is on) is accepted.
import { detectAgentApi } from '../datasource/agentApi';
import type { DataSourceInstance } from '../datasource/instance';
import type { RequestOptions } from '../datasource/httpClient';
import { AUTH_STATUSES, NetdataRequestError } from '../datasource/requestError';
import type { CheckHealthResponseMsg } from '../protocol/messages';
import { checkV1Health } from '../v1/v1Health';
import { errorText, healthError, healthOk, plural, shownUrl } from './healthResult';

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
  const protection = info.bearerProtection ? ' (bearer protection on, token accepted)' : '';
  return healthOk(
    `Connected to Netdata ${version} (API v${api}) at ${url}: ${plural(info.nodeCount, 'node')}${protection}`,
    {
      transport: 'agent',
      version: info.version,
      api,
      nodes: info.nodeCount,
      hostname: info.hostname,
      bearerProtection: info.bearerProtection,
    }
  );
}
