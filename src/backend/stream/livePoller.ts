// The polls behind live channels: one poller per (data source, live query), however many RunStreams (Grafana runs
// one per channel, and one channel per org) read from it. It polls Netdata once per interval for the rows after the
// last one it sent, never with more than one poll in flight (a slow Netdata delays the next poll instead of queueing
// polls), backs off when Netdata fails while telling the viewers in a frame notice, and stops when the last stream
// leaves. Clock and timers are injectable so tests step through polls without waiting.
import type { Frame } from '../../netdata/types';
import { lastTime, rowsAfter } from '../../netdata/wideFrame';
import type { Logger } from '../log/logger';

export interface LiveSink {
  send(frame: Frame): void;
}

export interface PollResult {
  /** Wide frame of the rows Netdata returned (may include rows already sent: they are cut here). */
  frame: Frame;
  updateEverySec: number;
}

export type PollFn = (sinceMs: number, nowMs: number, signal: AbortSignal) => Promise<PollResult>;

export interface PollerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: PollerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Longest wait between attempts while Netdata fails. */
export const MAX_BACKOFF_MS = 30_000;
/** A stream never asks for more history than this (a live query registered long before its stream started). */
export const MAX_CATCH_UP_MS = 10 * 60_000;

export interface PollerSpec {
  key: string;
  poll: PollFn;
  /** Milliseconds between polls for Netdata's row spacing (the Cloud gets a floor). */
  intervalMs(updateEverySec: number): number;
  updateEverySec: number;
  startAfterMs?: number;
  /** Fields to show a status notice on before the first answer. */
  schema?: Frame;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class LivePoller {
  private readonly sinks = new Set<LiveSink>();
  private timer: unknown;
  private controller?: AbortController;
  private inFlight = false;
  private stopped = false;
  private lastMs?: number;
  private failures = 0;
  private updateEverySec: number;
  private schema?: Frame;
  polls = 0;

  constructor(
    private readonly spec: PollerSpec,
    private readonly clock: PollerClock,
    private readonly onIdle: () => void,
    private readonly log?: Logger
  ) {
    this.updateEverySec = spec.updateEverySec;
    this.lastMs = spec.startAfterMs;
    this.schema = spec.schema;
  }

  get size(): number {
    return this.sinks.size;
  }

  add(sink: LiveSink): void {
    this.sinks.add(sink);
    if (this.sinks.size === 1 && !this.inFlight && this.timer === undefined) {
      this.schedule(this.spec.intervalMs(this.updateEverySec));
    }
  }

  remove(sink: LiveSink): void {
    this.sinks.delete(sink);
    if (this.sinks.size === 0) {
      this.stop();
    }
  }

  private stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.controller?.abort('cancelled');
    this.onIdle();
  }

  private schedule(ms: number): void {
    if (this.stopped) {
      return;
    }
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        void this.tick();
      },
      Math.max(0, ms)
    );
  }

  private broadcast(frame: Frame): void {
    for (const sink of this.sinks) {
      try {
        sink.send(frame);
      } catch (err) {
        this.log?.debug('live stream write failed', { key: this.spec.key, error: errorText(err) });
      }
    }
  }

  private async tick(): Promise<void> {
    if (this.inFlight || this.stopped) {
      return;
    }
    this.inFlight = true;
    this.polls++;
    const started = this.clock.now();
    const interval = this.spec.intervalMs(this.updateEverySec);
    const sinceMs = Math.max(this.lastMs ?? started - 2 * interval, started - MAX_CATCH_UP_MS);
    const controller = new AbortController();
    this.controller = controller;
    let next = interval;
    try {
      const result = await this.spec.poll(sinceMs, started, controller.signal);
      if (this.stopped) {
        return;
      }
      this.updateEverySec = result.updateEverySec;
      const fresh = rowsAfter(result.frame, sinceMs);
      const newest = lastTime(fresh);
      const recovered = this.failures > 0;
      this.failures = 0;
      this.schema = { ...fresh, fields: fresh.fields.map((f) => ({ ...f, values: [] }) as typeof f) };
      if (newest !== undefined) {
        this.lastMs = newest;
      }
      if (newest !== undefined || recovered) {
        this.broadcast(fresh);
      }
      next = this.spec.intervalMs(this.updateEverySec) - (this.clock.now() - started);
    } catch (err) {
      if (this.stopped) {
        return;
      }
      this.failures++;
      next = Math.min(MAX_BACKOFF_MS, interval * 2 ** this.failures);
      const text = `Live update from Netdata failed (${errorText(err)}); retrying in ${Math.ceil(next / 1000)} s`;
      this.log?.warn('live poll failed', { key: this.spec.key, failures: this.failures, error: errorText(err) });
      const schema = this.schema ?? { refId: '', fields: [{ name: 'time', type: 'time', values: [] }] };
      this.broadcast({ ...schema, meta: { ...schema.meta, notices: [{ severity: 'warning', text }] } });
    } finally {
      this.inFlight = false;
      this.controller = undefined;
    }
    this.schedule(next);
  }
}

/** Every running poller, by data source and live query. */
export class LivePollers {
  private readonly byKey = new Map<string, LivePoller>();

  constructor(
    private readonly clock: PollerClock = SYSTEM_CLOCK,
    private readonly log?: Logger
  ) {}

  /** Adds a stream to the poller of `spec.key` (started if needed); the returned function removes it. */
  join(spec: PollerSpec, sink: LiveSink): () => void {
    let poller = this.byKey.get(spec.key);
    if (poller === undefined) {
      const created: LivePoller = new LivePoller(
        spec,
        this.clock,
        () => {
          if (this.byKey.get(spec.key) === created) {
            this.byKey.delete(spec.key);
          }
        },
        this.log
      );
      poller = created;
      this.byKey.set(spec.key, created);
    }
    const joined = poller;
    joined.add(sink);
    let left = false;
    return () => {
      if (!left) {
        left = true;
        joined.remove(sink);
      }
    };
  }

  /** Running pollers and their streams (for tests and debug logs). */
  stats(): Array<{ key: string; streams: number; polls: number }> {
    return [...this.byKey].map(([key, p]) => ({ key, streams: p.size, polls: p.polls }));
  }
}
