import type { Frame } from '../../netdata/types';
import { LivePollers, MAX_BACKOFF_MS, type PollFn, type PollerClock } from './livePoller';

/** A clock that only moves when the test says so. */
class StepClock implements PollerClock {
  t = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  get pending(): number {
    return this.timers.length;
  }
  /** Moves time forward, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (due === undefined || due.at > end) {
        break;
      }
      this.timers.shift();
      this.t = due.at;
      due.fn();
      for (let i = 0; i < 10; i++) {
        await Promise.resolve();
      }
    }
    this.t = end;
  }
}

/** A Netdata that has one row per second up to its clock, like a live agent. */
function netdata(clock: StepClock): { poll: PollFn; calls: number[]; fail: { on: boolean } } {
  const calls: number[] = [];
  const fail = { on: false };
  const poll: PollFn = async (sinceMs) => {
    calls.push(sinceMs);
    if (fail.on) {
      throw new Error('connect ECONNREFUSED 127.0.0.1:19999');
    }
    const times: number[] = [];
    for (let t = Math.floor(sinceMs / 1000) * 1000 - 2000; t <= clock.t - 1000; t += 1000) {
      times.push(t);
    }
    const frame: Frame = {
      refId: 'A',
      fields: [
        { name: 'time', type: 'time', values: times },
        { name: 'user', type: 'number', values: times.map((t) => t / 1000), labels: { dimension: 'user' } },
      ],
    };
    return { frame, updateEverySec: 1 };
  };
  return { poll, calls, fail };
}

function sink(): { frames: Frame[]; send(f: Frame): void } {
  const frames: Frame[] = [];
  return { frames, send: (f) => frames.push(f) };
}

const spec = (poll: PollFn, startAfterMs: number) => ({
  key: 'uid|id',
  poll,
  intervalMs: (ue: number) => ue * 1000,
  updateEverySec: 1,
  startAfterMs,
});

describe('LivePollers', () => {
  it('sends each new row once per interval to every stream, with one poll per interval', async () => {
    const clock = new StepClock();
    const nd = netdata(clock);
    const pollers = new LivePollers(clock);
    const a = sink();
    const b = sink();
    const leaveA = pollers.join(spec(nd.poll, clock.t - 1000), a);
    const leaveB = pollers.join(spec(nd.poll, clock.t - 1000), b);
    await clock.advance(5000);
    expect(nd.calls).toHaveLength(5);
    const times = (s: { frames: Frame[] }) => s.frames.flatMap((f) => f.fields[0].values as number[]);
    expect(times(a)).toEqual([0, 1000, 2000, 3000, 4000].map((d) => clock.t - 5000 + d));
    expect(a.frames.every((f) => f.fields[0].values.length === 1)).toBe(true);
    expect(times(b)).toEqual(times(a));
    leaveA();
    await clock.advance(2000);
    expect(nd.calls).toHaveLength(7);
    leaveB();
    expect(clock.pending).toBe(0);
    await clock.advance(5000);
    expect(nd.calls).toHaveLength(7);
    expect(pollers.stats()).toEqual([]);
  });

  it('never has two polls in flight when Netdata is slow', async () => {
    const clock = new StepClock();
    let release: (() => void) | undefined;
    let inFlight = 0;
    let maxInFlight = 0;
    const poll: PollFn = () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve) => {
        release = () => {
          inFlight--;
          resolve({ frame: { refId: 'A', fields: [{ name: 'time', type: 'time', values: [] }] }, updateEverySec: 1 });
        };
      });
    };
    const pollers = new LivePollers(clock);
    pollers.join(spec(poll, clock.t), sink());
    await clock.advance(10_000);
    expect(maxInFlight).toBe(1);
    expect(clock.pending).toBe(0);
    release?.();
    await clock.advance(0);
    expect(clock.pending).toBe(1);
  });

  it('backs off while Netdata fails, says so on the frame, and recovers', async () => {
    const clock = new StepClock();
    const nd = netdata(clock);
    const pollers = new LivePollers(clock);
    const s = sink();
    pollers.join(spec(nd.poll, clock.t - 1000), s);
    nd.fail.on = true;
    await clock.advance(1000 + 2000 + 4000 + 8000);
    expect(nd.calls).toHaveLength(4);
    expect(s.frames).toHaveLength(4);
    expect(s.frames[0].meta?.notices?.[0]).toEqual({
      severity: 'warning',
      text: 'Live update from Netdata failed (connect ECONNREFUSED 127.0.0.1:19999); retrying in 2 s',
    });
    await clock.advance(MAX_BACKOFF_MS * 3);
    expect(nd.calls.length).toBeLessThanOrEqual(4 + 4);
    nd.fail.on = false;
    const before = s.frames.length;
    await clock.advance(MAX_BACKOFF_MS);
    const recovered = s.frames.slice(before);
    expect(recovered[0].meta?.notices).toBeUndefined();
    // The rows missed during the outage arrive in order, none twice.
    const times = s.frames.flatMap((f) => f.fields[0].values as number[]);
    expect(new Set(times).size).toBe(times.length);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });
});
