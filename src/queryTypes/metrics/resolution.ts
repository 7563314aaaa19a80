import { DataQueryRequest, rangeUtil } from '@grafana/data';

import { CLOUD_MAX_POINTS } from '../../netdata/cloudRequest';
import { dataWindow } from '../../netdata/window';

/**
 * What the backend will ask Netdata for, from the panel's last request: the same window arithmetic as the request
 * builders (`dataWindow`), so the hint cannot drift from the truth. Undefined before the panel has run.
 */
export function resolutionHint(request: DataQueryRequest | undefined, cloud: boolean): string | undefined {
  if (!request?.range) {
    return undefined;
  }
  try {
    const window = dataWindow({
      fromMs: request.range.from.valueOf(),
      toMs: request.range.to.valueOf(),
      maxDataPoints: request.maxDataPoints ?? 0,
      intervalMs: request.intervalMs,
    });
    const points = cloud ? Math.min(window.points, CLOUD_MAX_POINTS) : window.points;
    const perPoint = Math.max(1, Math.round((window.before - window.after) / points));
    const capped =
      cloud && window.points > CLOUD_MAX_POINTS ? ` (Netdata Cloud answers at most ${CLOUD_MAX_POINTS})` : '';
    return (
      `Resolution: ${points} points per series, about one per ${rangeUtil.secondsToHms(perPoint)}${capped}, ` +
      "from the panel's max data points and interval"
    );
  } catch {
    return undefined;
  }
}
