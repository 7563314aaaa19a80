// Live metrics queries by channel. QueryData registers each live query under a short id derived from the data
// source uid and the validated model, and answers with the channel `ds/<uid>/metrics/<id>`: Grafana's frontend
// subscribes to that channel (DataSourceWithBackend does so for any frame with meta.channel), Grafana calls
// SubscribeStream and then one RunStream per channel with the path `metrics/<id>`. The id keeps the path short and
// within Grafana's channel-path characters ([A-Za-z0-9_-/=.]) whatever the query holds; equal queries share a
// channel, so Grafana itself runs one stream for all their viewers. A subscriber may also send the query as the
// subscription's `data` (JSON), which is checked against the id, so a stream survives a plugin restart.
import { createHash } from 'node:crypto';
import { parseQuery } from '../../netdata/query';
import type { Frame, NetdataQueryModel } from '../../netdata/types';
import { lastTime, toWideFrame } from '../../netdata/wideFrame';

export const METRICS_STREAM_PREFIX = 'metrics/';
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** Live queries kept; the oldest unused ones go first. */
const MAX_LIVE_QUERIES = 1000;

export interface LiveQuery {
  id: string;
  dataSourceUid: string;
  path: string;
  channel: string;
  model: NetdataQueryModel;
  refId: string;
  /** Newest row time (ms) QueryData answered, where the stream starts; undefined when unknown. */
  startAfterMs?: number;
  updateEverySec: number;
  /** The wide frame's fields without values (names, labels, config), for status packets before the first poll. */
  schema?: Frame;
}

export function liveQueryId(dataSourceUid: string, model: NetdataQueryModel): string {
  return createHash('sha256')
    .update(JSON.stringify([dataSourceUid, model]))
    .digest('base64url')
    .slice(0, 22);
}

/** The id of a `metrics/<id>` path, or undefined for any other path. */
export function parseStreamPath(path: string): string | undefined {
  if (!path.startsWith(METRICS_STREAM_PREFIX)) {
    return undefined;
  }
  const id = path.slice(METRICS_STREAM_PREFIX.length);
  return ID_PATTERN.test(id) ? id : undefined;
}

function emptied(frame: Frame): Frame {
  return { ...frame, fields: frame.fields.map((f) => ({ ...f, values: [] }) as typeof f) };
}

export class LiveQueryRegistry {
  private readonly byId = new Map<string, LiveQuery>();

  register(
    dataSourceUid: string,
    model: NetdataQueryModel,
    refId: string,
    answer?: { frames: Frame[]; updateEverySec: number }
  ): LiveQuery {
    const id = liveQueryId(dataSourceUid, model);
    const path = `${METRICS_STREAM_PREFIX}${id}`;
    const previous = this.byId.get(id);
    const wide = answer ? toWideFrame(answer.frames, refId) : undefined;
    const query: LiveQuery = {
      id,
      dataSourceUid,
      path,
      channel: `ds/${dataSourceUid}/${path}`,
      model,
      refId: previous?.refId ?? refId,
      startAfterMs: (wide && lastTime(wide)) ?? previous?.startAfterMs,
      updateEverySec: answer?.updateEverySec ?? previous?.updateEverySec ?? 1,
      schema: wide ? emptied(wide) : previous?.schema,
    };
    this.byId.delete(id);
    this.byId.set(id, query);
    while (this.byId.size > MAX_LIVE_QUERIES) {
      const oldest = this.byId.keys().next().value as string;
      this.byId.delete(oldest);
    }
    return query;
  }

  /**
   * The live query of a stream path for this data source: the registered one, else the one carried in the
   * subscription's data when it hashes to the same id. Undefined when neither.
   */
  resolve(dataSourceUid: string, path: string, data?: Uint8Array): LiveQuery | undefined {
    const id = parseStreamPath(path);
    if (id === undefined) {
      return undefined;
    }
    const known = this.byId.get(id);
    if (known !== undefined) {
      return known.dataSourceUid === dataSourceUid ? known : undefined;
    }
    const text = data && data.length > 0 ? Buffer.from(data).toString('utf8') : '';
    if (text === '') {
      return undefined;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = parseQuery(raw);
    if (!parsed.ok || liveQueryId(dataSourceUid, parsed.value) !== id) {
      return undefined;
    }
    const refId =
      typeof raw === 'object' && raw !== null && typeof (raw as { refId?: unknown }).refId === 'string'
        ? (raw as { refId: string }).refId
        : 'A';
    return this.register(dataSourceUid, parsed.value, refId);
  }
}

/** The process's registry: QueryData writes it, the Stream service reads it. */
export const liveQueries = new LiveQueryRegistry();
