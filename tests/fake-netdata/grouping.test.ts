/** @jest-environment node */
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import type { Json2Doc } from './testHttp';
import { column, getJson2 } from './testHttp';

describe('grouping and aggregation (§3.1, §3.4)', () => {
  let fake: FakeNetdata;
  let P: string;
  let C: string;
  let window: string;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
    P = fake.nodes[0].mg;
    C = fake.nodes[1].mg;
    const t0 = Math.floor((Date.now() / 1000 - 3600) / 60) * 60;
    // An absolute window well inside the retention: deterministic answers, 6 rows of 10 s.
    window = `after=${t0}&before=${t0 + 59}&points=6&options=unaligned`;
  });
  afterAll(() => fake.close());

  const disk = (query: string): Promise<Json2Doc> =>
    getJson2(`${fake.url}/api/v3/data?scope_contexts=disk.io&format=json2&${window}&${query}`);

  it('composes ids and names as in the §3.4 table', async () => {
    const cases: Array<[string, string[], string[], string[]]> = [
      ['group_by=dimension', ['reads', 'writes'], ['reads', 'writes'], ['dimension']],
      [
        'group_by=instance',
        [`disk.vda@${P}`, `disk.sda@${P}`, `disk.vda@${C}`],
        ['disk.vda@parent01', 'disk.sda@parent01', 'disk.vda@child01'],
        ['instance'],
      ],
      [
        'group_by=instance,node',
        [`disk.vda,${P}`, `disk.sda,${P}`, `disk.vda,${C}`],
        ['disk.vda,parent01', 'disk.sda,parent01', 'disk.vda,child01'],
        ['instance', 'node'],
      ],
      ['group_by=node', [P, C], ['parent01', 'child01'], ['node']],
      ['group_by=label&group_by_label=device', ['vda', 'sda'], ['vda', 'sda'], ['label:device']],
      [
        'group_by=label&group_by_label=mount_point',
        ['/', '/data', '[unset]'],
        ['/', '/data', '[unset]'],
        ['label:mount_point'],
      ],
      [
        'group_by=label&group_by_label=device_type|mount_point',
        ['physical,/', 'physical,/data', 'virtual,[unset]'],
        ['physical,/', 'physical,/data', 'virtual,[unset]'],
        ['label:device_type', 'label:mount_point'],
      ],
      ['group_by=context', ['disk.io'], ['disk.io'], ['context']],
      ['group_by=units', ['KiB/s'], ['KiB/s'], ['units']],
      ['group_by=context,units', ['disk.io,KiB/s'], ['disk.io,KiB/s'], ['context', 'units']],
      [
        'group_by=node,context',
        [`${P},disk.io`, `${C},disk.io`],
        ['parent01,disk.io', 'child01,disk.io'],
        ['node', 'context'],
      ],
      ['group_by=selected', ['selected'], ['selected'], ['selected']],
      [
        'group_by=percentage-of-instance',
        [`disk.vda@${P}`, `disk.sda@${P}`, `disk.vda@${C}`],
        ['disk.vda@parent01', 'disk.sda@parent01', 'disk.vda@child01'],
        ['percentage-of-instance'],
      ],
      [
        'group_by=node,dimension',
        [`reads,${P}`, `writes,${P}`, `reads,${C}`, `writes,${C}`],
        ['reads,parent01', 'writes,parent01', 'reads,child01', 'writes,child01'],
        ['dimension', 'node'],
      ],
      [
        'group_by=instance,dimension&instances=disk.sda',
        [`reads,disk.sda@${P}`, `writes,disk.sda@${P}`],
        ['reads,disk.sda@parent01', 'writes,disk.sda@parent01'],
        ['dimension', 'instance'],
      ],
      [
        'group_by_label=device&nodes=child01',
        ['reads,vda', 'writes,vda'],
        ['reads,vda', 'writes,vda'],
        ['dimension', 'label:device'],
      ],
    ];
    for (const [query, ids, names, groupedBy] of cases) {
      const doc = await disk(query);
      expect([query, doc.result.labels.slice(1)]).toEqual([query, ids]);
      expect([query, doc.view.dimensions.ids, doc.view.dimensions.names]).toEqual([query, ids, names]);
      expect([query, doc.view.dimensions.grouped_by]).toEqual([query, groupedBy]);
      expect(doc.db.dimensions.ids).toEqual(ids);
    }
  });

  it('uses dimension names as ids (net.net InOctets is `received`)', async () => {
    const doc = await getJson2(`${fake.url}/api/v3/data?scope_contexts=net.net&${window}`);
    expect(doc.result.labels).toEqual(['time', 'received', 'sent']);
  });

  it('parses group_by like the agent: order and separators ignored, overrides and fallbacks', async () => {
    const ids = async (q: string): Promise<string[]> => (await disk(q)).view.dimensions.ids;
    const nodeDim = await ids('group_by=node,dimension');
    expect(await ids('group_by=dimension,node')).toEqual(nodeDim);
    expect(await ids('group_by=dimension|node')).toEqual(nodeDim);
    expect(await ids('group_by=dimension+node')).toEqual(nodeDim);
    expect(await ids('group_by=selected,node')).toEqual(['selected']);
    expect((await disk('group_by=bogus')).view.dimensions.grouped_by).toEqual(['dimension']);
    expect(await ids('group_by=bogus,node')).toEqual([P, C]);
    expect(await ids('group_by=chart')).toEqual(['reads', 'writes']);
    const labelOnly = await disk('group_by=label');
    expect(labelOnly.view.dimensions.grouped_by).toEqual(['dimension']);
  });

  it('forces absolute when a pass lacks `dimension` (or with option percentage)', async () => {
    const writesSign = async (q: string, id: string): Promise<number> => {
      const doc = await disk(q);
      const values = column(doc, id).filter((v): v is number => v !== null);
      expect(values.length).toBeGreaterThan(0);
      return Math.sign(values[0]);
    };
    expect(await writesSign('group_by=dimension', 'writes')).toBe(-1);
    expect(await writesSign('group_by=node,dimension', `writes,${P}`)).toBe(-1);
    expect(await writesSign('group_by=instance,dimension', `writes,disk.vda@${P}`)).toBe(-1);
    expect(await writesSign('group_by_label=device', 'writes,vda')).toBe(-1);
    expect(await writesSign('group_by=dimension&options=absolute', 'writes')).toBe(1);
    expect(await writesSign('group_by=dimension&options=abs', 'writes')).toBe(1);
    // `label` without keys falls back to dimension grouping after the flag was set.
    expect(await writesSign('group_by=label', 'writes')).toBe(1);
    // Without dimension: writes folds into positive sums.
    const reads = column(await disk('group_by=node,dimension&aggregation=sum&dimensions=reads'), `reads,${P}`);
    const writes = column(await disk('group_by=node,dimension&aggregation=sum&dimensions=writes'), `writes,${P}`);
    const node = column(await disk('group_by=node&aggregation=sum&nodes=parent01'), P);
    node.forEach((v, i) => expect(v).toBeCloseTo((reads[i] as number) - (writes[i] as number), 4));
  });

  it('aggregates with avg/average, sum, min, max, extremes; unknown words are average', async () => {
    const base = await disk('group_by=instance,dimension');
    const sources = [`reads,disk.vda@${P}`, `reads,disk.sda@${P}`, `reads,disk.vda@${C}`].map((id) => column(base, id));
    const rows = sources[0].length;
    const expected: Record<string, (v: number[]) => number> = {
      avg: (v) => v.reduce((a, b) => a + b, 0) / v.length,
      average: (v) => v.reduce((a, b) => a + b, 0) / v.length,
      mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
      bogus: (v) => v.reduce((a, b) => a + b, 0) / v.length,
      sum: (v) => v.reduce((a, b) => a + b, 0),
      min: (v) => Math.min(...v),
      max: (v) => Math.max(...v),
      extremes: (v) => v.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a)),
    };
    for (const [aggregation, fn] of Object.entries(expected)) {
      const doc = await disk(`group_by=dimension&aggregation=${aggregation}`);
      const got = column(doc, 'reads');
      expect(got).toHaveLength(rows);
      for (let r = 0; r < rows; r++) {
        expect(got[r]).toBeCloseTo(fn(sources.map((s) => s[r] as number)), 4);
      }
      expect(doc.view.dimensions.aggregated).toEqual([3, 3]);
    }
  });

  it('aggregation=percentage: selected / (selected + not selected) × 100, else the plain sum in %', async () => {
    const parts = await disk('group_by=node,dimension&aggregation=sum&nodes=parent01');
    const reads = column(parts, `reads,${P}`) as number[];
    const writes = column(parts, `writes,${P}`) as number[];
    const pct = await disk('group_by=node&aggregation=percentage&dimensions=reads&nodes=parent01');
    expect(pct.view.units).toBe('%');
    expect(pct.view.dimensions.units).toEqual(['%']);
    expect(pct.db.dimensions.units).toEqual(['KiB/s']);
    column(pct, P).forEach((v, i) => expect(v).toBeCloseTo((reads[i] * 100) / (reads[i] - writes[i]), 4));
    const plain = await disk('group_by=node&aggregation=percentage&nodes=parent01');
    expect(plain.view.units).toBe('%');
    column(plain, P).forEach((v, i) => expect(v).toBeCloseTo(reads[i] - writes[i], 4));
  });

  it('percentage-of-instance: per instance share of the selected dimensions, else the instance values', async () => {
    const parts = await disk('group_by=instance,dimension');
    const reads = column(parts, `reads,disk.vda@${C}`) as number[];
    const writes = column(parts, `writes,disk.vda@${C}`) as number[];
    const poi = await disk('group_by=percentage-of-instance&dimensions=reads');
    expect(poi.view.units).toBe('%');
    column(poi, `disk.vda@${C}`).forEach((v, i) => expect(v).toBeCloseTo((reads[i] * 100) / (reads[i] - writes[i]), 4));
    const all = await disk('group_by=percentage-of-instance');
    const instance = await disk('group_by=instance');
    expect(column(all, `disk.vda@${C}`)).toEqual(column(instance, `disk.vda@${C}`));
  });

  it('runs a second grouping pass, named or by repeating the parameters', async () => {
    const named = await disk('group_by=instance,dimension&group_by[1]=dimension&aggregation[1]=sum');
    const repeated = await disk('group_by=instance,dimension&group_by=dimension&aggregation=avg&aggregation=sum');
    expect(named.result).toEqual(repeated.result);
    expect(named.view.dimensions.grouped_by).toEqual(['dimension']);
    expect(named.view.dimensions.aggregated).toEqual([3, 3]);
    const single = await disk('group_by=dimension&aggregation=sum');
    expect(column(named, 'reads')).toEqual(column(single, 'reads'));
    const byNode = await disk('group_by=instance&aggregation=sum&group_by[1]=node&aggregation[1]=max');
    expect(byNode.view.dimensions.ids).toEqual([P, C]);
  });

  it('option percentage: each dimension as % of its instance total, hidden dimensions included', async () => {
    const cpu = (q: string): Promise<Json2Doc> =>
      getJson2(
        `${fake.url}/api/v3/data?scope_contexts=system.cpu&scope_nodes=parent01&options=percentage&${window}&${q}`
      );
    const all = await cpu('dimensions=!none,*');
    const visible = await cpu('');
    expect(visible.view.units).toBe('%');
    expect(visible.result.labels).not.toContain('idle');
    const idle = column(all, 'idle') as number[];
    for (let r = 0; r < idle.length; r++) {
      const sumAll = all.result.labels.slice(1).reduce((a, id) => a + (column(all, id)[r] as number), 0);
      expect(sumAll).toBeCloseTo(100, 4);
      const sumVisible = visible.result.labels.slice(1).reduce((a, id) => a + (column(visible, id)[r] as number), 0);
      expect(sumVisible + idle[r]).toBeCloseTo(100, 4);
    }
    const idleSummary = visible.summary.dimensions.find((d) => d.id === 'idle');
    expect(idleSummary?.ds).toEqual({ qr: 1 });
  });

  it('nonzero hides all-zero outputs everywhere but in the summary', async () => {
    const cpu = `${fake.url}/api/v3/data?scope_contexts=system.cpu&${window}`;
    const plain = await getJson2(cpu);
    const nonzero = await getJson2(`${cpu}&options=nonzero`);
    expect(plain.result.labels).toContain('guest');
    expect(nonzero.result.labels).not.toContain('guest');
    expect(nonzero.view.dimensions.ids).not.toContain('guest');
    expect(nonzero.db.dimensions.ids).not.toContain('guest');
    expect(nonzero.view.dimensions.ids).toHaveLength(plain.view.dimensions.ids.length - 1);
    expect(nonzero.summary.dimensions.map((d) => d.id)).toContain('guest');
  });

  it('group-by-labels lists the label values folded into each output', async () => {
    const doc = await disk('group_by=node&options=group-by-labels');
    expect(doc.view.dimensions.labels?.device).toEqual([['vda', 'sda'], ['vda']]);
    expect(doc.view.dimensions.labels?.mount_point).toEqual([['/', '/data'], null]);
  });

  it('mixes contexts: units and title per §3.5, same-named dimensions merged', async () => {
    const doc = await getJson2(`${fake.url}/api/v3/data?scope_contexts=system.cpu|system.load&${window}`);
    expect(doc.view.units).toEqual(['percentage', 'load']);
    expect(doc.db.units).toEqual(['percentage', 'load']);
    expect(doc.view.title).toBe('Chart for contexts: system.cpu, system.load');
    expect(doc.result.labels.slice(1)).toEqual([
      'guest',
      'softirq',
      'user',
      'system',
      'nice',
      'iowait',
      'load1',
      'load5',
      'load15',
    ]);
    expect(doc.view.dimensions.units?.slice(-1)).toEqual(['load']);
    const units = await getJson2(`${fake.url}/api/v3/data?scope_contexts=disk.io|net.net&group_by=units&${window}`);
    expect(units.view.dimensions.ids).toEqual(['KiB/s', 'kilobits/s']);
    const merged = await getJson2(`${fake.url}/api/v3/data?scope_contexts=disk.io|net.net&group_by=node&${window}`);
    expect(merged.view.dimensions.units).toEqual(['KiB/s', 'KiB/s']);
  });
});
