import type { AlertTransition } from './types';
import { parseTransitionsPage, TransitionPages } from './transitionPages';

function t(when: number, id: string): AlertTransition {
  return {
    alert: 'ram_in_use',
    when,
    transitionId: id,
    newStatus: 'WARNING',
    newValue: 1,
    oldStatus: 'CLEAR',
    oldValue: 0,
  };
}

/** What an agent answers for `before` with a page size: the newest `size` of the history, older ones counted. */
function agentPage(history: AlertTransition[], before: number, size: number): unknown {
  const matched = history.filter((x) => x.when <= before).sort((a, b) => b.when - a.when);
  const page = matched.slice(0, size);
  return {
    transitions: page.map((x) => ({ alert: x.alert, when: x.when, transition_id: x.transitionId, new: {}, old: {} })),
    items: { matched: matched.length, returned: page.length, after: matched.length - page.length },
  };
}

function readAll(
  history: AlertTransition[],
  size: number,
  maxPages: number
): { pages: TransitionPages; requests: number } {
  const pages = new TransitionPages(size, maxPages);
  let before = 10_000;
  let requests = 0;
  for (;;) {
    requests++;
    const page = parseTransitionsPage(agentPage(history, before, size));
    if (!page.ok) {
      throw new Error(page.error);
    }
    const next = pages.add(page.value);
    if (next === undefined) {
      return { pages, requests };
    }
    before = next;
  }
}

describe('TransitionPages', () => {
  // 25 transitions, two of them in each of some seconds, so that page ends fall inside a second.
  const history = Array.from({ length: 25 }, (_, i) => t(1000 + Math.floor(i / 2) * 10, `t${i}`));

  it('reads a window bigger than a page completely, backwards, without duplicates', () => {
    const { pages, requests } = readAll(history, 7, 10);
    expect(requests).toBeGreaterThan(3);
    expect(pages.transitions.map((x) => x.transitionId).sort()).toEqual(history.map((x) => x.transitionId).sort());
    expect(pages.notices()).toEqual([]);
  });

  it('stops at the bound and says the oldest transitions are missing', () => {
    const { pages, requests } = readAll(history, 7, 2);
    expect(requests).toBe(2);
    expect(pages.transitions.length).toBeLessThan(history.length);
    const oldestShown = Math.min(...pages.transitions.map((x) => x.when));
    const ids = pages.transitions.map((x) => x.transitionId);
    expect(ids).toEqual(expect.arrayContaining(history.filter((x) => x.when > oldestShown).map((x) => x.transitionId)));
    expect(pages.notices()).toEqual([
      expect.objectContaining({
        severity: 'warning',
        text: expect.stringMatching(/more alert transitions .* the oldest are missing/),
      }),
    ]);
  });

  it('asks for one request when the first answer holds the whole window', () => {
    expect(readAll(history, 100, 10).requests).toBe(1);
  });

  it('pages a Cloud answer (no items) while pages come back full', () => {
    const pages = new TransitionPages(2, 10);
    expect(pages.add({ transitions: [t(50, 'a'), t(40, 'b')] })).toBe(41);
    expect(pages.add({ transitions: [t(40, 'b')] })).toBeUndefined();
    expect(pages.transitions).toHaveLength(2);
  });
});
