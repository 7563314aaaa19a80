// Alert history is capped per request (netdata-api-extra.md §8 rule 7): `alert_transitions` returns the newest
// `last` transitions of the window, and `items.after` counts the older matching ones it left out. A busy window is
// read page by page backwards, each page ending at the oldest transition of the one before, up to a bound; past the
// bound the frame says that the oldest transitions are missing.
import { MAX_TRANSITIONS, parseAlertTransitions } from './alertTransitions';
import type { AlertTransition, FrameNotice, Result } from './types';

/** At most this many requests per annotation query: 10 × 1000 transitions. */
export const MAX_TRANSITION_PAGES = 10;

export interface TransitionsPage {
  transitions: AlertTransition[];
  /** `items.after` of an agent answer: matching transitions older than the page; Cloud answers have no `items`. */
  older?: number;
}

export function parseTransitionsPage(body: unknown): Result<TransitionsPage> {
  const parsed = parseAlertTransitions(body);
  if (!parsed.ok) {
    return parsed;
  }
  const items = typeof body === 'object' && body !== null ? (body as { items?: unknown }).items : undefined;
  const after = typeof items === 'object' && items !== null ? (items as { after?: unknown }).after : undefined;
  return {
    ok: true,
    value:
      typeof after === 'number' && Number.isFinite(after) && after >= 0
        ? { transitions: parsed.value, older: after }
        : { transitions: parsed.value },
  };
}

function keyOf(t: AlertTransition): string {
  return (
    t.transitionId ?? `${t.when}|${t.machineGuid ?? t.hostname ?? ''}|${t.instance ?? ''}|${t.alert}|${t.newStatus}`
  );
}

/** The transitions read so far, and where the next (older) page ends, if one is needed. */
export class TransitionPages {
  private readonly seen = new Map<string, AlertTransition>();
  private pages = 0;
  private more = false;

  constructor(
    private readonly pageSize = MAX_TRANSITIONS,
    private readonly maxPages = MAX_TRANSITION_PAGES
  ) {}

  /**
   * Adds one answer; returns the `before` of the next page, or undefined when the window is complete, the bound is
   * reached or a page brought nothing new (more transitions in one second than a page holds).
   */
  add(page: TransitionsPage): number | undefined {
    this.pages++;
    let added = 0;
    let oldest = Infinity;
    for (const t of page.transitions) {
      oldest = Math.min(oldest, t.when);
      if (!this.seen.has(keyOf(t))) {
        this.seen.set(keyOf(t), t);
        added++;
      }
    }
    this.more = page.older !== undefined ? page.older > 0 : page.transitions.length >= this.pageSize;
    if (!this.more || added === 0 || this.pages >= this.maxPages) {
      return undefined;
    }
    // `before` is in seconds and transitions share seconds: the next page starts within the oldest second again
    // (what it repeats is dropped above).
    return oldest + 1;
  }

  get transitions(): AlertTransition[] {
    return [...this.seen.values()];
  }

  /** A warning when older transitions of the window were left out. */
  notices(): FrameNotice[] {
    if (!this.more) {
      return [];
    }
    return [
      {
        severity: 'warning',
        text:
          `Netdata holds more alert transitions in this time range than the ${this.seen.size} shown ` +
          `(read in ${this.pages} request${this.pages === 1 ? '' : 's'} of at most ${this.pageSize}): the oldest are ` +
          'missing. Narrow the time range or filter by node, context, alert or status',
      },
    ];
  }
}
