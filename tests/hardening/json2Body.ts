// Generated json2 data documents shaped like a Netdata 2.9 agent's `/api/v3/data?format=json2` answer
// (tests/fixtures/netdata-2.9/v3_data_group_by_node_sum.json), of any size: for fault tests and benchmarks.

export interface Json2BodyOptions {
  series: number;
  points: number;
  /** Epoch seconds of the oldest row. */
  startSec?: number;
  everySec?: number;
  /** Row order: Netdata sends newest first unless `flip`. */
  newestFirst?: boolean;
  units?: string | string[];
  /** Overrides the point layout (default value/arp/pa at 0/1/2). */
  point?: Record<string, number>;
}

/** Deterministic value of series `s` at row `r`, with Netdata's 7 decimals. */
export function pointValue(s: number, r: number): number {
  const x = Math.sin((s + 1) * 12.9898 + r * 78.233) * 43758.5453;
  return Math.round((x - Math.floor(x)) * 1000 * 1e7) / 1e7;
}

export function seriesId(s: number): string {
  return `dim${s}`;
}

export function json2Document(opts: Json2BodyOptions): Record<string, unknown> {
  const { series, points } = opts;
  const every = opts.everySec ?? 1;
  const start = opts.startSec ?? 1_795_878_000;
  const ids = Array.from({ length: series }, (_, s) => seriesId(s));
  const data: unknown[][] = [];
  for (let r = 0; r < points; r++) {
    const row: unknown[] = [(start + r * every) * 1000];
    for (let s = 0; s < series; s++) {
      row.push([pointValue(s, r), 0, 0]);
    }
    data.push(row);
  }
  if (opts.newestFirst) {
    data.reverse();
  }
  const mg = '7622017c-d2f5-4112-8149-5e13e2ef7ff1';
  return {
    api: 2,
    summary: { nodes: [{ mg, nm: 'bench-node', ni: 0, st: { ai: 0, code: 200, msg: '' } }] },
    result: { labels: ['time', ...ids], point: opts.point ?? { value: 0, arp: 1, pa: 2 }, data },
    db: { tiers: 3, update_every: every, units: 'percentage' },
    view: {
      title: 'Generated',
      update_every: every,
      after: start,
      before: start + points * every,
      units: opts.units ?? 'percentage',
      chart_type: 'line',
      dimensions: {
        grouped_by: ['dimension'],
        ids,
        names: ids.map((id) => `name of ${id}`),
        units: ids.map(() => 'percentage'),
        priorities: ids.map((_, i) => i),
        aggregated: ids.map(() => 1),
      },
      min: 0,
      max: 1000,
    },
    agents: [{ mg, nd: null, nm: 'bench-node', now: start + points * every, ai: 0 }],
  };
}

export function json2Body(opts: Json2BodyOptions): string {
  return JSON.stringify(json2Document(opts));
}
