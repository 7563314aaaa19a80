// pluginv2.Stream for Grafana Live. SubscribeStream accepts `metrics/<id>` paths of live queries of this data source;
// RunStream (one per channel, started by Grafana with the first subscriber and cancelled after the last one leaves)
// joins the shared poller of its query and sends each batch of new rows as a frame JSON packet; PublishStream is
// refused: viewers cannot write to Netdata.
import { NETDATA_MAX_POINTS } from '../../netdata/window';
import { toWideFrame } from '../../netdata/wideFrame';
import type { DataSourceInstance } from '../datasource/instance';
import type { InstanceCache } from '../datasource/instanceCache';
import { frameJson } from '../frames/frameJson';
import { StreamStatus, type StreamRequestMsg, type StreamStatusResponseMsg } from '../protocol/messages';
import { fetchMetricsFrames } from '../query/metricsQuery';
import { liveQueries, type LiveQuery } from './liveQueries';
import type { LivePollers, PollFn } from './livePoller';

/**
 * Netdata Cloud documents no rate limit (netdata-api.md §10: 429 undocumented): live panels through the Cloud poll every 5 s at most,
 * each poll bringing the rows collected since (per second rows arrive five at a time).
 */
export const CLOUD_MIN_INTERVAL_S = 5;
const NETDATA_TIMEOUT_SHARE = 0.9;

export function pollIntervalMs(inst: DataSourceInstance, updateEverySec: number): number {
  const every = Math.min(3600, Math.max(1, updateEverySec));
  return (inst.settings.transport === 'cloud' ? Math.max(CLOUD_MIN_INTERVAL_S, every) : every) * 1000;
}

export function metricsPoll(inst: DataSourceInstance, query: LiveQuery): PollFn {
  return async (sinceMs, nowMs, signal) => {
    const timeoutMs = inst.settings.timeoutMs;
    const answer = await fetchMetricsFrames(
      inst,
      query.model,
      { fromMs: sinceMs, toMs: nowMs, maxDataPoints: NETDATA_MAX_POINTS, intervalMs: query.updateEverySec * 1000 },
      query.refId,
      { fetch: { signal, timeoutMs }, netdataTimeoutMs: Math.max(1, Math.floor(timeoutMs * NETDATA_TIMEOUT_SHARE)) }
    );
    return { frame: toWideFrame(answer.frames, query.refId), updateEverySec: answer.updateEverySec };
  };
}

export type StreamResolution =
  | { ok: true; inst: DataSourceInstance; query: LiveQuery }
  | { ok: false; status: (typeof StreamStatus)[keyof typeof StreamStatus]; error: string };

export function resolveStream(req: StreamRequestMsg, instances: InstanceCache): StreamResolution {
  const settings = req.pluginContext?.dataSourceInstanceSettings;
  const inst = instances.get(settings);
  if (!inst.ok) {
    return { ok: false, status: StreamStatus.NOT_FOUND, error: inst.error };
  }
  const query = liveQueries.resolve(settings?.uid ?? '', req.path ?? '', req.data);
  if (query === undefined) {
    return {
      ok: false,
      status: StreamStatus.NOT_FOUND,
      error: `No live query on the path ${JSON.stringify(String(req.path ?? '').slice(0, 80))}: refresh the panel to start its stream again`,
    };
  }
  return { ok: true, inst: inst.value, query };
}

export function subscribeStream(req: StreamRequestMsg, instances: InstanceCache): StreamStatusResponseMsg {
  const found = resolveStream(req, instances);
  return { status: found.ok ? StreamStatus.OK : found.status };
}

export function publishStream(): StreamStatusResponseMsg {
  return { status: StreamStatus.PERMISSION_DENIED };
}

export interface StreamWriter {
  write(packet: { data: Buffer }): unknown;
}

/** Joins the poller of the stream's query; the returned function leaves it (on cancellation). */
export function runStream(
  found: { inst: DataSourceInstance; query: LiveQuery },
  pollers: LivePollers,
  out: StreamWriter
): () => void {
  const { inst, query } = found;
  return pollers.join(
    {
      key: `${query.dataSourceUid}|${query.id}`,
      poll: metricsPoll(inst, query),
      intervalMs: (ue) => pollIntervalMs(inst, ue),
      updateEverySec: query.updateEverySec,
      startAfterMs: query.startAfterMs,
      schema: query.schema,
    },
    { send: (frame) => out.write({ data: Buffer.from(frameJson(frame)) }) }
  );
}
