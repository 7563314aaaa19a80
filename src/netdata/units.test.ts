// jsdom (the default environment): @grafana/data needs a window to load, and it is the source of truth for unit ids.
import { formattedValueToString, getValueFormat, getValueFormats } from '@grafana/data';

import { loadFixture } from '../../tests/fixtures';
import { NETDATA_TO_GRAFANA_UNITS, toGrafanaUnit } from './units';

/** Every unit id Grafana 12.4 offers in its unit picker. */
const GRAFANA_IDS = new Set(getValueFormats().flatMap((category) => (category.submenu ?? []).map((u) => u.value)));

/** Units of the captured agent left to the `suffix:` fallback on purpose: no Grafana unit says the same. */
const DELIBERATE_SUFFIX = ['microseconds lost/s', 'milliseconds/s', 'octets'];

function rendered(unit: string, value: number): string {
  return formattedValueToString(getValueFormat(unit)(value));
}

describe('toGrafanaUnit', () => {
  it.each([
    ['percentage', 'percent'],
    ['percent', 'percent'],
    ['%', 'percent'],
    ['% of time working', 'percent'],
    ['KiB/s', 'KiBs'],
    ['MiB/s', 'MiBs'],
    ['GiB/s', 'GiBs'],
    ['kilobits/s', 'Kbits'],
    ['megabits/s', 'Mbits'],
    ['gigabits/s', 'Gbits'],
    ['bytes', 'bytes'],
    ['KiB', 'kbytes'],
    ['MiB', 'mbytes'],
    ['GiB', 'gbytes'],
    ['TiB', 'tbytes'],
    ['bytes/s', 'Bps'],
    ['B/s', 'Bps'],
    ['bits', 'bits'],
    ['KiB/operation', 'kbytes'],
    ['operations/s', 'ops'],
    ['ops/s', 'ops'],
    ['requests/s', 'reqps'],
    ['reads/s', 'rps'],
    ['writes/s', 'wps'],
    ['packets/s', 'pps'],
    ['events/s', 'eps'],
    ['messages/s', 'mps'],
    ['interrupts/s', 'count:interrupts/s'],
    ['connections/s', 'count:connections/s'],
    ['errors/s', 'count:errors/s'],
    ['queries/s', 'count:queries/s'],
    ['milliseconds', 'ms'],
    ['ms', 'ms'],
    ['milliseconds/operation', 'ms'],
    ['seconds', 's'],
    ['microseconds', 'µs'],
    ['nanoseconds', 'ns'],
    ['Celsius', 'celsius'],
    ['°C', 'celsius'],
    ['Hz', 'hertz'],
    ['MHz', 'rotmhz'],
    ['GHz', 'rotghz'],
    ['Watts', 'watt'],
    ['Volts', 'volt'],
    ['Amps', 'amp'],
    ['Ampere', 'amp'],
    ['kWh', 'kwatth'],
    ['RPM', 'rotrpm'],
    ['load', 'none'],
    ['state', 'none'],
    ['processes', 'count:processes'],
    ['threads', 'count:threads'],
    ['files', 'count:files'],
    ['sockets', 'count:sockets'],
    ['connections', 'count:connections'],
    ['active connections', 'count:active connections'],
    ['count', 'short'],
    ['  KiB/s  ', 'KiBs'],
  ])('maps %p to %p', (netdata, grafana) => {
    expect(toGrafanaUnit(netdata)).toBe(grafana);
  });

  it.each([
    ['Percentage', 'percent'],
    ['CELSIUS', 'celsius'],
    ['Kilobits/s', 'Kbits'],
    ['Processes', 'count:processes'],
  ])('reads the worded unit %p whatever its case', (netdata, grafana) => {
    expect(toGrafanaUnit(netdata)).toBe(grafana);
  });

  it.each([
    // Symbols where case is meaning: megabits are not megabytes, megawatts not milliwatts.
    ['Mb/s', 'suffix:Mb/s'],
    ['MW', 'suffix:MW'],
    ['b', 'suffix:b'],
  ])('keeps the case of the symbol %p', (netdata, grafana) => {
    expect(toGrafanaUnit(netdata)).toBe(grafana);
  });

  it.each([
    ['microseconds lost/s', 'suffix:microseconds lost/s'],
    ['widgets', 'suffix:widgets'],
    ['constructor', 'suffix:constructor'],
    ['toString', 'suffix:toString'],
  ])('keeps the unknown unit %p as a custom suffix', (netdata, grafana) => {
    expect(toGrafanaUnit(netdata)).toBe(grafana);
  });

  it('returns undefined without units', () => {
    expect(toGrafanaUnit(undefined)).toBeUndefined();
    expect(toGrafanaUnit('')).toBeUndefined();
    expect(toGrafanaUnit('   ')).toBeUndefined();
  });
});

describe('the unit table against Grafana', () => {
  it('knows a few hundred Grafana unit ids (the picker loaded)', () => {
    expect(GRAFANA_IDS.size).toBeGreaterThan(200);
    expect(GRAFANA_IDS.has('KiBs')).toBe(true);
  });

  it.each(Object.entries(NETDATA_TO_GRAFANA_UNITS))(
    '%p → %p is a Grafana unit id or count:<the same words>',
    (netdata, grafana) => {
      if (grafana.startsWith('count:')) {
        expect(grafana).toBe(`count:${netdata}`);
        expect(rendered(grafana, 1500)).toBe(`1.50K ${netdata}`);
      } else {
        expect(GRAFANA_IDS.has(grafana)).toBe(true);
      }
    }
  );

  it('maps every unit of the captured Netdata 2.9 contexts to a Grafana id, count: or a deliberate suffix', () => {
    const body = loadFixture('v2_contexts.json') as { contexts: Record<string, { units?: string }> };
    const units = Array.from(new Set(Object.values(body.contexts).map((c) => c.units))).filter(
      (u): u is string => typeof u === 'string'
    );
    expect(units.length).toBeGreaterThan(50);
    const unmapped: string[] = [];
    for (const u of units) {
      const grafana = toGrafanaUnit(u);
      if (grafana === undefined) {
        unmapped.push(u);
      } else if (grafana.startsWith('suffix:')) {
        expect(grafana).toBe(`suffix:${u}`);
        if (!DELIBERATE_SUFFIX.includes(u)) {
          unmapped.push(u);
        }
      } else if (!grafana.startsWith('count:')) {
        expect(GRAFANA_IDS.has(grafana)).toBe(true);
      }
    }
    expect(unmapped).toEqual([]);
  });

  it('renders the fallbacks with Netdata’s words', () => {
    expect(rendered(toGrafanaUnit('microseconds lost/s')!, 12)).toBe('12 microseconds lost/s');
    expect(rendered(toGrafanaUnit('processes')!, 2500000)).toBe('2.50M processes');
    expect(rendered(toGrafanaUnit('KiB/s')!, 2048)).toBe('2 MiB/s');
    expect(rendered(toGrafanaUnit('kilobits/s')!, 2500)).toBe('2.50 Mb/s');
  });
});
