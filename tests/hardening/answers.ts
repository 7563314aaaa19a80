// Per-query answers reduced to what assertions look at: a failing expectation prints this, not megabytes of frames.
import type { DataResponseMsg } from '../../src/backend/protocol/messages';

export interface BriefAnswer {
  status?: number;
  errorSource?: string;
  error?: string;
  frameCount: number;
  /** Not enumerable: kept out of failure messages. */
  readonly frames: Uint8Array[];
}

export function brief(r: DataResponseMsg | undefined): BriefAnswer {
  const answer = {
    status: r?.status,
    errorSource: r?.errorSource || undefined,
    error: r?.error || undefined,
    frameCount: r?.frames?.length ?? 0,
  };
  Object.defineProperty(answer, 'frames', { value: r?.frames ?? [], enumerable: false });
  return answer as BriefAnswer;
}
