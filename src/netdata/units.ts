// Netdata units → Grafana unit ids (ids checked against @grafana/data 12.4 valueFormats/categories).

/** Exact Netdata unit strings (as contexts report them) and the Grafana unit that renders them. */
export const NETDATA_TO_GRAFANA_UNITS: Readonly<Record<string, string>> = {
  // percent
  percentage: 'percent',
  percent: 'percent',
  '%': 'percent',
  '% of time working': 'percent',
  // data
  bits: 'bits',
  bytes: 'bytes',
  B: 'bytes',
  KiB: 'kbytes',
  MiB: 'mbytes',
  GiB: 'gbytes',
  TiB: 'tbytes',
  KB: 'deckbytes',
  kB: 'deckbytes',
  MB: 'decmbytes',
  GB: 'decgbytes',
  TB: 'dectbytes',
  // data rate
  'bits/s': 'bps',
  'kilobits/s': 'Kbits',
  'megabits/s': 'Mbits',
  'gigabits/s': 'Gbits',
  'bytes/s': 'Bps',
  'B/s': 'Bps',
  'KiB/s': 'KiBs',
  'MiB/s': 'MiBs',
  'GiB/s': 'GiBs',
  'KB/s': 'KBs',
  'kB/s': 'KBs',
  'MB/s': 'MBs',
  'GB/s': 'GBs',
  'packets/s': 'pps',
  // time
  nanoseconds: 'ns',
  ns: 'ns',
  microseconds: 'µs',
  us: 'µs',
  µs: 'µs',
  milliseconds: 'ms',
  ms: 'ms',
  'milliseconds/operation': 'ms',
  'milliseconds/request': 'ms',
  seconds: 's',
  s: 's',
  minutes: 'm',
  hours: 'h',
  days: 'd',
  // throughput
  'operations/s': 'ops',
  'ops/s': 'ops',
  'requests/s': 'reqps',
  'reads/s': 'rps',
  'writes/s': 'wps',
  'iops/s': 'iops',
  'events/s': 'eps',
  'messages/s': 'mps',
  'records/s': 'recps',
  'rows/s': 'rowsps',
  // temperature, frequency, rotation
  Celsius: 'celsius',
  celsius: 'celsius',
  '°C': 'celsius',
  Fahrenheit: 'fahrenheit',
  '°F': 'fahrenheit',
  Kelvin: 'kelvin',
  Hz: 'hertz',
  kHz: 'rotkhz',
  MHz: 'rotmhz',
  GHz: 'rotghz',
  RPM: 'rotrpm',
  rpm: 'rotrpm',
  // electrical
  Watts: 'watt',
  Watt: 'watt',
  watts: 'watt',
  W: 'watt',
  kW: 'kwatt',
  kWh: 'kwatth',
  Wh: 'watth',
  Joules: 'joule',
  Volts: 'volt',
  volts: 'volt',
  V: 'volt',
  Amps: 'amp',
  Ampere: 'amp',
  amps: 'amp',
  A: 'amp',
  mA: 'mamp',
  dBm: 'dBm',
  dB: 'dB',
  // unitless
  load: 'none',
};

/**
 * The Grafana unit id for a Netdata unit string. Unknown units become Grafana's custom `suffix:<text>` unit so
 * the panel still shows Netdata's words (e.g. `suffix:sockets`). Undefined/empty in, undefined out.
 */
export function toGrafanaUnit(netdataUnits: string | undefined): string | undefined {
  if (typeof netdataUnits !== 'string') {
    return undefined;
  }
  const units = netdataUnits.trim();
  if (units === '') {
    return undefined;
  }
  // hasOwnProperty: a unit named like an Object.prototype key (`constructor`) must not hit the prototype.
  if (Object.prototype.hasOwnProperty.call(NETDATA_TO_GRAFANA_UNITS, units)) {
    return NETDATA_TO_GRAFANA_UNITS[units];
  }
  return `suffix:${units}`;
}
