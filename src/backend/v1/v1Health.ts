// "Save & test" of a Netdata 1.37 agent (v1 mode): the charts of the agent prove that its v1 data API answers;
// the message says what v1 mode cannot do (netdata-api-extra.md §4.7).
import type { V1Info } from '../../netdata/v1/types';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { errorText, healthError, healthOk, plural, shownUrl } from '../health/healthResult';
import type { CheckHealthResponseMsg } from '../protocol/messages';
import { v1Charts } from './v1Charts';

/** What needs a newer Netdata, as the health message names it. */
export const V1_LIMITS =
  'anomaly rates, group by percentage-of-instance and the percentage aggregation need Netdata v1.39+ (/api/v2); ' +
  'the extremes time group needs v2.6+; the plugin groups, aggregates and limits the per-chart ' +
  '/api/v1/data answers itself';

export function v1VersionText(version: string): string {
  return version.replace(/^v/i, '');
}

export async function checkV1Health(
  inst: DataSourceInstance,
  v1: V1Info,
  opts: RequestOptions
): Promise<CheckHealthResponseMsg> {
  const url = shownUrl(inst.settings.baseUrl, inst.settings.hostNode);
  const version = v1VersionText(v1.version);
  const local = v1.nodes.find((n) => n.prefix === '') ?? v1.nodes[0];
  let charts;
  try {
    charts = await v1Charts(inst.client, local, opts);
  } catch (err) {
    return healthError(
      `Netdata ${version}: v1 API at ${url} answered its info request, but /api/v1/charts failed: ${errorText(err)}`,
      'data',
      err
    );
  }
  const unreachable = v1.nodes.filter((n) => !n.reachable).map((n) => n.hostname);
  const stale = unreachable.length > 0 ? `; not streaming now: ${unreachable.join(', ')}` : '';
  return healthOk(
    `Connected to Netdata ${version}: v1 API at ${url}: ${plural(v1.nodes.length, 'node')}, ` +
      `${plural(charts.length, 'chart')} on ${local.hostname}${stale}. Not available on v1: ${V1_LIMITS}`,
    {
      transport: 'agent',
      version: v1.version,
      api: 1,
      nodes: v1.nodes.length,
      hostname: v1.hostname,
      bearerProtection: false,
      mlEnabled: v1.mlEnabled ?? false,
    }
  );
}
