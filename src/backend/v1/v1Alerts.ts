// Alert annotations on Netdata 1.37: `/api/v1/alarm_log` of each selected node (netdata-api-extra.md §4.6), into
// the same annotation frame as on v2/v3.
import { alertTransitionsFrame } from '../../netdata/alertTransitions';
import { v1AlarmLogNotice, v1AlarmLogPath, v1Transitions } from '../../netdata/v1/alarmLog';
import { parseV1AlarmLog } from '../../netdata/v1/parse';
import { compileMatcher, matches } from '../../netdata/v1/pattern';
import type { V1Info } from '../../netdata/v1/types';
import type { AlertQueryModel, Frame, FrameNotice, QueryWindow } from '../../netdata/types';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import { mapLimit, nodeFailure, V1_CONCURRENCY } from './v1Charts';

export async function runV1AlertTransitions(
  inst: DataSourceInstance,
  v1: V1Info,
  model: AlertQueryModel,
  window: QueryWindow,
  refId: string,
  opts: RequestOptions
): Promise<Frame> {
  const m = compileMatcher(model.nodes);
  const nodes = v1.nodes.filter((n) => matches(m, [n.hostname, n.machineGuid, n.nodeId]));
  if (nodes.length === 0) {
    throw new NetdataRequestError(
      'bad-query',
      `No node of this Netdata matches the node filter "${model.nodes.join('|').slice(0, 200)}" ` +
        `(its nodes: ${v1.nodes.map((n) => n.hostname).join(', ')})`,
      400,
      'plugin'
    );
  }
  const notices: FrameNotice[] = [];
  const perNode = await mapLimit(nodes, V1_CONCURRENCY, async (node) => {
    let body: unknown;
    try {
      body = await inst.client.getJson(v1AlarmLogPath(node), opts);
    } catch (err) {
      throw nodeFailure(err, node, 'alarm_log');
    }
    const entries = parseV1AlarmLog(body);
    if (!entries.ok) {
      throw new NetdataRequestError(
        'body',
        `Netdata node ${node.hostname} answered with an unexpected alert log: ${entries.error}`,
        502,
        'downstream'
      );
    }
    const notice = v1AlarmLogNotice(window, node, entries.value);
    if (notice !== undefined) {
      notices.push(notice);
    }
    return v1Transitions(model, window, node, entries.value);
  });
  const frame = alertTransitionsFrame(perNode.flat(), refId, nodes.map(v1AlarmLogPath).join('\n'));
  if (notices.length > 0) {
    frame.meta = { ...frame.meta, notices };
  }
  return frame;
}
