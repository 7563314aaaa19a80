/** @jest-environment node */
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import type { Json2Doc } from './testHttp';
import { getJson2, times } from './testHttp';
import { computeDataView, computeView, resolveDataWindow, rowTimestamps } from './window';

const B = 1717171200;

// netdata-api.md §3.7 examples table (absolute windows). `unaligned` undefined = "either".
const TABLE: Array<{
  after: number;
  before: number;
  points: number;
  unaligned?: boolean;
  ue: number;
  viewAfter: number;
  viewBefore: number;
  rows: number[];
}> = [
  { after: B, before: B + 15, points: 3, ue: 5, viewAfter: B + 1, viewBefore: B + 15, rows: [B + 5, B + 10, B + 15] },
  {
    after: B,
    before: B + 16,
    points: 3,
    unaligned: true,
    ue: 6,
    viewAfter: B - 1,
    viewBefore: B + 16,
    rows: [B + 4, B + 10, B + 16],
  },
  {
    after: B,
    before: B + 16,
    points: 5,
    unaligned: true,
    ue: 3,
    viewAfter: B - 1,
    viewBefore: B + 16,
    rows: [B + 1, B + 4, B + 7, B + 10, B + 13, B + 16],
  },
  {
    after: B,
    before: B + 60,
    points: 7,
    unaligned: true,
    ue: 9,
    viewAfter: B - 2,
    viewBefore: B + 60,
    rows: [6, 15, 24, 33, 42, 51, 60].map((d) => B + d),
  },
  {
    after: B,
    before: B + 60,
    points: 7,
    unaligned: false,
    ue: 9,
    viewAfter: B + 1,
    viewBefore: B + 63,
    rows: [9, 18, 27, 36, 45, 54, 63].map((d) => B + d),
  },
  {
    after: B,
    before: B + 10,
    points: 100,
    ue: 1,
    viewAfter: B,
    viewBefore: B + 10,
    rows: Array.from({ length: 11 }, (_, i) => B + i),
  },
  {
    after: B,
    before: B + 300,
    points: 4,
    unaligned: false,
    ue: 75,
    viewAfter: B + 1,
    viewBefore: B + 300,
    rows: [B + 75, B + 150, B + 225, B + 300],
  },
  {
    after: B + 3,
    before: B + 20,
    points: 3,
    unaligned: false,
    ue: 6,
    viewAfter: B + 7,
    viewBefore: B + 24,
    rows: [B + 12, B + 18, B + 24],
  },
];

function variants(unaligned: boolean | undefined): boolean[] {
  return unaligned === undefined ? [false, true] : [unaligned];
}

describe('§3.7 window arithmetic (pure)', () => {
  const now = 2_000_000_000;
  for (const [i, row] of TABLE.entries()) {
    for (const unaligned of variants(row.unaligned)) {
      it(`table row ${i + 1} (${unaligned ? 'unaligned' : 'aligned'})`, () => {
        const view = computeDataView({ after: row.after, before: row.before, points: row.points, unaligned, now });
        expect(view.updateEvery).toBe(row.ue);
        expect(view.viewAfter).toBe(row.viewAfter);
        expect(view.viewBefore).toBe(row.viewBefore);
        expect(rowTimestamps(view)).toEqual(row.rows);
        // The oldest row is view.after + update_every - 1.
        expect(rowTimestamps(view)[0]).toBe(view.viewAfter + view.updateEvery - 1);
      });
    }
  }

  it('relative after=-60&before=0&points=5 anchors to last_entry and rounds it down', () => {
    const retention = { firstEntry: 1_000_000, lastEntry: B + 7 };
    const view = computeDataView({ after: -60, before: 0, points: 5, unaligned: false, now, retention });
    expect(view.anchored).toBe(true);
    expect(view.updateEvery).toBe(12);
    expect(view.viewBefore).toBe(Math.floor((B + 7) / 12) * 12);
    expect(view.viewAfter).toBe(view.viewBefore - 59);
    expect(view.points).toBe(5);
  });

  it('after=-60&points=0 gives 60 one-second rows; no after/before gives the last 600 s', () => {
    const retention = { firstEntry: 1_000_000, lastEntry: B };
    const sixty = computeDataView({ after: -60, points: 0, unaligned: false, now, retention });
    expect(sixty.points).toBe(60);
    expect(sixty.updateEvery).toBe(1);
    const defaults = computeDataView({ points: 0, unaligned: false, now, retention });
    expect(defaults.viewBefore - defaults.viewAfter + 1).toBe(600);
    expect(defaults.points).toBe(600);
  });

  it('relative after=-5 covers 5 seconds while an absolute 10 s window gives 11 rows', () => {
    const retention = { firstEntry: 1_000_000, lastEntry: B };
    expect(computeDataView({ after: -5, points: 0, unaligned: true, now, retention }).points).toBe(5);
    expect(computeDataView({ after: B - 10, before: B, points: 0, unaligned: true, now }).points).toBe(11);
  });

  it('swaps reversed ends, slides a future window back to now and measures relative before from now', () => {
    expect(resolveDataWindow({ after: B + 60, before: B, now })).toMatchObject({ after: B, before: B + 60 });
    const t = B + 1000;
    expect(resolveDataWindow({ after: t - 60, before: t + 1, now: t - 1 })).toMatchObject({
      after: t - 62,
      before: t - 1,
    });
    expect(resolveDataWindow({ after: -60, before: -10, now: t })).toMatchObject({ before: t - 10, after: t - 69 });
    expect(resolveDataWindow({ after: -60, before: 10, now: t })).toMatchObject({ before: t - 10 });
  });

  it('explicit after=0 means the whole retention on data queries', () => {
    const retention = { firstEntry: B - 5000, lastEntry: B };
    expect(resolveDataWindow({ after: 0, now, retention })).toMatchObject({
      after: B - 5000,
      before: B,
      anchored: true,
    });
  });

  it('points larger than the window or 0 fall back to one point per second, capped at 86400', () => {
    const w = { after: B, before: B + 200_000, anchored: false, relative: false };
    expect(computeView(w, 0, true).points).toBeLessThanOrEqual(86400);
    expect(computeView({ ...w, before: B + 9 }, 1000, true).points).toBe(10);
  });
});

describe('§3.7 window arithmetic through the server', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(() => fake.close());

  const data = (query: string): Promise<Json2Doc> =>
    getJson2(`${fake.url}/api/v3/data?scope_contexts=system.cpu&format=json2&options=flip&${query}`);

  // The table re-based inside the retention: 900 divides every view granularity of the table, so only the base moves.
  it('reproduces every table row, before and inside the retention', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    for (const shift of [0, Math.floor((nowSec - 7200) / 900) * 900 - B]) {
      for (const row of TABLE) {
        for (const unaligned of variants(row.unaligned)) {
          const doc = await data(
            `after=${row.after + shift}&before=${row.before + shift}&points=${row.points}` +
              (unaligned ? '&options=unaligned' : '')
          );
          expect(doc.view.update_every).toBe(row.ue);
          expect(doc.view.after).toBe(row.viewAfter + shift);
          expect(doc.view.before).toBe(row.viewBefore + shift);
          expect(times(doc)).toEqual(row.rows.map((t) => t + shift));
          const hasData = doc.result.data.every((r) => r.slice(1).every((p) => typeof p !== 'number' && p[0] !== null));
          expect(hasData).toBe(shift !== 0);
        }
      }
    }
  });

  it('anchors before=0 to db.last_entry (rounded down) and relative after to it', async () => {
    const doc = await data('after=-60&before=0&points=5');
    const last = doc.db.last_entry as number;
    expect(doc.view.update_every).toBe(12);
    expect(doc.view.before).toBe(Math.floor(last / 12) * 12);
    expect(doc.view.after).toBe((doc.view.before as number) - 59);
    expect(doc.result.data).toHaveLength(5);
  });

  it('after=-5 gives 5 one-second rows; no after/before the last 600 s', async () => {
    const five = await data('after=-5&points=0');
    expect(five.result.data).toHaveLength(5);
    expect(five.view.update_every).toBe(1);
    const defaults = await data('points=0');
    expect(defaults.result.data).toHaveLength(600);
    expect((defaults.view.before as number) - (defaults.view.after as number)).toBe(599);
  });

  it('before=-10 ends at wall clock - 11 s (unaligned)', async () => {
    const doc = await data('after=-30&before=-10&points=0&options=unaligned');
    const wall = doc.agents?.[0].now as number;
    // The request may straddle a second boundary.
    expect([wall - 11, wall - 12]).toContain(doc.view.before);
    // A relative `after` counts from `before`: 30 seconds, the +1 of §2.3 included.
    expect((doc.view.before as number) - (doc.view.after as number)).toBe(29);
  });

  it('slides an absolute window that ends in the future back to now', async () => {
    const wall = Math.floor(Date.now() / 1000);
    const doc = await data(`after=${wall - 60}&before=${wall + 30}&points=0&options=unaligned`);
    expect(doc.view.before).toBeLessThanOrEqual(wall);
    expect((doc.view.before as number) - (doc.view.after as number)).toBe(90);
  });

  it('a 2 s window on the 5 s system.load without a stored sample in it returns no rows', async () => {
    const wall = Math.floor(Date.now() / 1000);
    // Pick a 2-second window strictly between two 5-second samples, well inside the retention.
    const base = Math.floor((wall - 3600) / 5) * 5 + 1;
    const doc = await getJson2(
      `${fake.url}/api/v3/data?scope_contexts=system.load&after=${base}&before=${base + 1}&points=0&options=unaligned`
    );
    expect(doc.view.update_every).toBe(1);
    expect(doc.result.data).toEqual([]);
    expect(doc.result.labels).toEqual(['time', 'load1', 'load5', 'load15']);
  });
});
