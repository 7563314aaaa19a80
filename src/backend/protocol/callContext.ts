// Grafana's deadline and cancellation of one gRPC call, as an AbortSignal for the Netdata fetches.
import type { Deadline } from '@grpc/grpc-js';
import { DEADLINE_REASON } from '../datasource/abortable';

/** Leave this much of the deadline to build and send our answer (a timeout error beats DEADLINE_EXCEEDED). */
const ANSWER_MARGIN_MS = 250;

export interface CallContext {
  signal: AbortSignal;
  /** Milliseconds left for Netdata requests, or undefined without a deadline. */
  timeLeftMs(): number | undefined;
  dispose(): void;
}

interface CallLike {
  getDeadline(): Deadline;
  on(event: 'cancelled', listener: () => void): unknown;
}

function deadlineMs(deadline: Deadline): number | undefined {
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : undefined;
}

export function callContext(call: CallLike): CallContext {
  const controller = new AbortController();
  const deadline = deadlineMs(call.getDeadline());
  const answerBy = deadline === undefined ? undefined : deadline - ANSWER_MARGIN_MS;
  let timer: NodeJS.Timeout | undefined;
  if (answerBy !== undefined) {
    timer = setTimeout(() => controller.abort(DEADLINE_REASON), Math.max(0, answerBy - Date.now()));
    timer.unref();
  }
  call.on('cancelled', () => controller.abort('cancelled'));
  return {
    signal: controller.signal,
    timeLeftMs: () => (answerBy === undefined ? undefined : Math.max(1, answerBy - Date.now())),
    dispose: () => {
      if (timer) {
        clearTimeout(timer);
      }
    },
  };
}
