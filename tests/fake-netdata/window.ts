// Time windows: `after`/`before` resolution (netdata-api.md §2.3) and the view window arithmetic of §3.7.

/** Values within ±3 years are relative. */
export const RELATIVE_LIMIT = 94608000;
export const MAX_POINTS = 86400;
const TEN_YEARS = 10 * 365 * 86400;
const ONE_YEAR = 365 * 86400;

export function isRelative(value: number): boolean {
  return Math.abs(value) <= RELATIVE_LIMIT;
}

/** Retention of the queried metrics, when there are any (data queries anchor `before=0` to `lastEntry`). */
export interface Retention {
  firstEntry: number;
  lastEntry: number;
}

export interface DataWindowInput {
  /** `undefined` when the parameter was absent. */
  after?: number;
  before?: number;
  points: number;
  unaligned: boolean;
  /** The agent's *now*: wall clock minus one second. */
  now: number;
  /** Undefined when nothing is queried: the window is then computed from the wall clock. */
  retention?: Retention;
}

export interface ResolvedWindow {
  after: number;
  before: number;
  /** `before` was 0/absent and was anchored to the newest stored sample. */
  anchored: boolean;
  /** Either end was relative (or 0). */
  relative: boolean;
}

export interface ViewWindow extends ResolvedWindow {
  /** Seconds per returned point (`view.update_every`). */
  updateEvery: number;
  points: number;
  viewAfter: number;
  viewBefore: number;
}

function clamp(value: number, now: number): number {
  return Math.min(Math.max(value, now - TEN_YEARS), now + ONE_YEAR);
}

/** §2.3 for data queries (`before=0` anchors to the newest sample, an explicit `after=0` means the whole retention). */
export function resolveDataWindow(
  input: Pick<DataWindowInput, 'after' | 'before' | 'now' | 'retention'>
): ResolvedWindow {
  const { now, retention } = input;
  const rawBefore = input.before ?? 0;
  const rawAfter = input.after;
  let anchored = false;
  let relative = false;
  let before: number;
  if (rawBefore === 0) {
    relative = true;
    if (retention) {
      before = retention.lastEntry;
      anchored = true;
    } else {
      before = now;
    }
  } else if (isRelative(rawBefore)) {
    relative = true;
    before = now - Math.abs(rawBefore);
  } else {
    before = rawBefore;
  }
  let after: number;
  if (rawAfter === 0 && retention) {
    relative = true;
    after = retention.firstEntry;
  } else {
    const a = rawAfter === undefined || rawAfter === 0 ? -600 : rawAfter;
    if (isRelative(a)) {
      relative = true;
      // The engine adds 1 s so that `after=-5` covers 5 seconds, not 6.
      after = before - Math.abs(a) + 1;
    } else {
      after = a;
    }
  }
  if (after > before) {
    [after, before] = [before, after];
  }
  if (before > now) {
    const shift = before - now;
    before -= shift;
    after -= shift;
  }
  return { after: clamp(after, now), before: clamp(before, now), anchored, relative };
}

/** §2.3 generic converter (contexts, nodes): `before=0` is now, `after=0` is -600. */
export function resolveGenericWindow(
  after: number | undefined,
  before: number | undefined,
  now: number
): ResolvedWindow {
  return resolveDataWindow({ after: after === 0 ? undefined : after, before, now, retention: undefined });
}

/** §3.7 steps 2-8 for an already resolved window. */
export function computeView(window: ResolvedWindow, requestedPoints: number, unaligned: boolean): ViewWindow {
  const duration = window.before - window.after;
  const available = duration + 1;
  let points = requestedPoints;
  if (points <= 0 || points > available) {
    points = available;
  }
  points = Math.min(points, MAX_POINTS);
  let group = Math.max(1, Math.floor(available / points));
  if (available % points > Math.floor(points / 2)) {
    group += 1;
  }
  if (points * group < duration) {
    points = Math.ceil(available / group);
    // Not in the live-verified algorithm (windows up to 2000 s): keep the hard cap of 86400 rows by widening the group.
    while (points > MAX_POINTS) {
      group += 1;
      points = Math.ceil(available / group);
    }
  }
  let before = window.before;
  if (!unaligned && before % group !== 0) {
    before = window.anchored ? before - (before % group) : before - (before % group) + group;
  }
  return {
    ...window,
    updateEvery: group,
    points,
    viewBefore: before,
    viewAfter: before - points * group + 1,
  };
}

export function computeDataView(input: DataWindowInput): ViewWindow {
  return computeView(resolveDataWindow(input), input.points, input.unaligned);
}

/** Row timestamps, oldest first: each row is the end of the interval `(t - update_every, t]`. */
export function rowTimestamps(view: ViewWindow): number[] {
  const rows: number[] = [];
  for (let i = view.points - 1; i >= 0; i--) {
    rows.push(view.viewBefore - i * view.updateEvery);
  }
  return rows;
}
