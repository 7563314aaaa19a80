// The part of Grafana's DataQuery that says when and how finely: time range, max points and interval.
import type { QueryWindow } from '../../netdata/types';
import type { DataQueryMsg } from '../protocol/messages';

export function queryWindow(q: DataQueryMsg): QueryWindow {
  return {
    fromMs: Number(q.timeRange?.fromEpochMS ?? 0),
    toMs: Number(q.timeRange?.toEpochMS ?? 0),
    maxDataPoints: Number(q.maxDataPoints ?? 0),
    intervalMs: Number(q.intervalMS ?? 0),
  };
}
