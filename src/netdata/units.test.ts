/** @jest-environment node */
import { toGrafanaUnit } from './units';

describe('toGrafanaUnit', () => {
  it.each([
    ['percentage', 'percent'],
    ['percent', 'percent'],
    ['%', 'percent'],
    ['KiB/s', 'KiBs'],
    ['MiB/s', 'MiBs'],
    ['kilobits/s', 'Kbits'],
    ['megabits/s', 'Mbits'],
    ['bytes/s', 'Bps'],
    ['bits', 'bits'],
    ['bytes', 'bytes'],
    ['KiB', 'kbytes'],
    ['MiB', 'mbytes'],
    ['GiB', 'gbytes'],
    ['milliseconds', 'ms'],
    ['seconds', 's'],
    ['microseconds', 'µs'],
    ['nanoseconds', 'ns'],
    ['Celsius', 'celsius'],
    ['Hz', 'hertz'],
    ['MHz', 'rotmhz'],
    ['operations/s', 'ops'],
    ['requests/s', 'reqps'],
    ['reads/s', 'rps'],
    ['writes/s', 'wps'],
    ['packets/s', 'pps'],
    ['events/s', 'eps'],
    ['load', 'none'],
    ['Watts', 'watt'],
    ['Volts', 'volt'],
    ['Amps', 'amp'],
    ['RPM', 'rotrpm'],
    ['  KiB/s  ', 'KiBs'],
  ])('maps %p to %p', (netdata, grafana) => {
    expect(toGrafanaUnit(netdata)).toBe(grafana);
  });

  it.each([
    ['sockets', 'suffix:sockets'],
    ['microseconds lost/s', 'suffix:microseconds lost/s'],
    ['connected clients', 'suffix:connected clients'],
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
