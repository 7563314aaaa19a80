import type { ContextSummary } from '../../netdata/catalog';
import { contextDescription, contextOption, searchContexts, withSearchHits } from './contextSearch';

const CONTEXTS: ContextSummary[] = [
  { id: 'disk.avgsz', title: 'Average Completed I/O Operation Bandwidth', units: 'KiB/operation', family: 'io' },
  { id: 'disk.io', title: 'Disk I/O Bandwidth', units: 'KiB/s', family: 'io' },
  { id: 'net.net', title: 'Bandwidth', units: 'kilobits/s', family: 'eth0' },
  { id: 'system.cpu', title: 'Total CPU utilization', units: 'percentage', family: 'cpu' },
  { id: 'system.io', title: 'Disk I/O', units: 'KiB/s', family: 'disk' },
];
const ids = (text: string) => searchContexts(CONTEXTS, text).map((c) => c.id);

describe('searchContexts', () => {
  it('returns every context, in order, for an empty search', () => {
    expect(ids('  ')).toEqual(CONTEXTS.map((c) => c.id));
  });

  it('matches ids, titles and families, ignoring case', () => {
    expect(ids('CPU')).toEqual(['system.cpu']);
    expect(ids('utilization')).toEqual(['system.cpu']);
    expect(ids('eth0')).toEqual(['net.net']);
  });

  it('ranks id prefixes, then ids, then title phrases, then scattered words', () => {
    expect(ids('disk')).toEqual(['disk.avgsz', 'disk.io', 'system.io']);
    expect(ids('io')).toEqual(['disk.io', 'system.io', 'disk.avgsz', 'system.cpu']); // utilizatIOn
    expect(ids('Disk I/O Band')).toEqual(['disk.io', 'disk.avgsz']);
    expect(ids('bandwidth')).toEqual(['disk.avgsz', 'disk.io', 'net.net']);
  });

  it('needs every word to match somewhere', () => {
    expect(ids('disk cpu')).toEqual([]);
    expect(ids('system   percentage')).toEqual([]);
    expect(ids('system utilization')).toEqual(['system.cpu']);
  });

  it('searches 10 000 contexts quickly', () => {
    const many: ContextSummary[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `app${i}.requests`,
      title: `Application ${i} requests`,
      family: `app ${i % 100}`,
    }));
    const started = performance.now();
    for (const text of ['app', 'application 99', 'requests', 'zzz']) {
      searchContexts(many, text);
    }
    expect(searchContexts(many, 'application 9999')).toHaveLength(1);
    // Four searches; generous for a busy 2-core machine, tight enough to catch a quadratic search.
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('context options', () => {
  it('describe a context by title, units and family', () => {
    expect(contextOption(CONTEXTS[1])).toEqual({
      value: 'disk.io',
      label: 'disk.io',
      description: 'Disk I/O Bandwidth (KiB/s) · family io',
    });
    expect(contextDescription({ id: 'x.y', units: '%' })).toBe('%');
    expect(contextOption({ id: 'x.y' })).toEqual({ value: 'x.y', label: 'x.y' });
  });
});

describe('withSearchHits', () => {
  it("keeps the list's own matches first, adds what only Netdata's search found, and says what matched", () => {
    // `sda` is in no id or title: the list finds nothing, Netdata finds disk.io by its instance and label.
    const listed = searchContexts(CONTEXTS, 'sda');
    expect(listed).toEqual([]);
    const hits = [
      {
        id: 'disk.io',
        title: 'Disk I/O Bandwidth',
        units: 'KiB/s',
        matched: ['instance disk.sda', 'label device=sda'],
      },
    ];
    expect(withSearchHits(listed, hits)).toEqual([
      {
        value: 'disk.io',
        label: 'disk.io',
        description: 'Disk I/O Bandwidth (KiB/s) · matched instance disk.sda, label device=sda',
      },
    ]);
  });

  it('keeps substring matches Netdata (before v2.6: whole words) missed, without repeating id or title', () => {
    const listed = searchContexts(CONTEXTS, 'band');
    const hits = [
      { id: 'disk.io', matched: ['title', 'dimension bandwidth'] },
      { id: 'net.net', matched: ['context id'] },
    ];
    const options = withSearchHits(listed, hits);
    expect(options.map((o) => o.value)).toEqual(listed.map((c) => c.id));
    expect(options.find((o) => o.value === 'disk.io')?.description).toBe(
      'Disk I/O Bandwidth (KiB/s) · family io · matched dimension bandwidth'
    );
    expect(options.find((o) => o.value === 'net.net')?.description).toBe('Bandwidth (kilobits/s) · family eth0');
  });
});
