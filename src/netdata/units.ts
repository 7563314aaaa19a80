// Netdata units → Grafana unit ids (ids checked against @grafana/data 12.4 valueFormats, see units.test.ts).

/** Units Grafana has an id for, keyed by the exact Netdata unit string. */
const GRAFANA_IDS: Readonly<Record<string, string>> = {
  // percent
  percentage: 'percent',
  percent: 'percent',
  '%': 'percent',
  '% of time working': 'percent',
  // data (Netdata's KiB/MiB/… and its "kilobytes" are binary, its KB/MB are decimal)
  bits: 'bits',
  bytes: 'bytes',
  B: 'bytes',
  KiB: 'kbytes',
  MiB: 'mbytes',
  GiB: 'gbytes',
  TiB: 'tbytes',
  PiB: 'pbytes',
  kilobytes: 'kbytes',
  megabytes: 'mbytes',
  gigabytes: 'gbytes',
  terabytes: 'tbytes',
  KB: 'deckbytes',
  kB: 'deckbytes',
  MB: 'decmbytes',
  GB: 'decgbytes',
  TB: 'dectbytes',
  PB: 'decpbytes',
  // The mean size of one operation (disk.avgsz): shown as a size.
  'KiB/operation': 'kbytes',
  // data rate (Netdata's kilobits are decimal)
  'bits/s': 'bps',
  'kilobits/s': 'Kbits',
  'megabits/s': 'Mbits',
  'gigabits/s': 'Gbits',
  'bytes/s': 'Bps',
  'B/s': 'Bps',
  'KiB/s': 'KiBs',
  'MiB/s': 'MiBs',
  'GiB/s': 'GiBs',
  'TiB/s': 'TiBs',
  'kilobytes/s': 'KiBs',
  'megabytes/s': 'MiBs',
  'KB/s': 'KBs',
  'kB/s': 'KBs',
  'MB/s': 'MBs',
  'GB/s': 'GBs',
  'packets/s': 'pps',
  pps: 'pps',
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
  'milliseconds/run': 'ms',
  seconds: 's',
  s: 's',
  'seconds/operation': 's',
  minutes: 'm',
  hours: 'h',
  days: 'd',
  // throughput
  'operations/s': 'ops',
  'ops/s': 'ops',
  'requests/s': 'reqps',
  'reads/s': 'rps',
  'writes/s': 'wps',
  iops: 'iops',
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
  milliwatts: 'mwatt',
  mW: 'mwatt',
  Wh: 'watth',
  kWh: 'kwatth',
  Joules: 'joule',
  joules: 'joule',
  J: 'joule',
  Volts: 'volt',
  volts: 'volt',
  V: 'volt',
  mV: 'mvolt',
  Amps: 'amp',
  Ampere: 'amp',
  Amperes: 'amp',
  amps: 'amp',
  A: 'amp',
  mA: 'mamp',
  Ah: 'amph',
  mAh: 'mamph',
  VA: 'voltamp',
  dBm: 'dBm',
  dB: 'dB',
  // Plain numbers: load averages, states/status codes, ratios and counters whose unit word adds nothing.
  load: 'none',
  state: 'none',
  status: 'none',
  ratio: 'none',
  count: 'short',
  entropy: 'short',
};

/**
 * Countable things and rates of them, for which Grafana has no id: Grafana's custom `count:<unit>` scales the number
 * (1.5K processes) and keeps Netdata's word.
 */
const COUNTED_UNITS: readonly string[] = [
  'processes',
  'threads',
  'files',
  'inodes',
  'sockets',
  'connections',
  'active connections',
  'connected clients',
  'clients',
  'requests',
  'queries',
  'operations',
  'errors',
  'events',
  'packets',
  'messages',
  'pages',
  'segments',
  'fragments',
  'semaphores',
  'arrays',
  'interrupts',
  'jobs',
  'tasks',
  'keys',
  'items',
  'objects',
  'users',
  'sessions',
  'connections/s',
  'errors/s',
  'queries/s',
  'interrupts/s',
  'softirqs/s',
  'context switches/s',
  'processes/s',
  'faults/s',
  'kills/s',
  'drops/s',
  'changes/s',
  'cookies/s',
  'expectations/s',
  'points/s',
  'samples/s',
  'searches/s',
  'redirects/s',
  'reports/s',
  'merged operations/s',
  'pages/s',
  'transactions/s',
  'commands/s',
  'lookups/s',
  'hits/s',
  'misses/s',
  'retransmits/s',
  'segments/s',
  'datagrams/s',
  'calls/s',
  'files/s',
  'sockets/s',
];

/** Exact Netdata unit strings (as contexts report them) and the Grafana unit that renders them. */
export const NETDATA_TO_GRAFANA_UNITS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(COUNTED_UNITS.map((u) => [u, `count:${u}`])),
  ...GRAFANA_IDS,
};

/**
 * Case-insensitive fallback for worded units (`Percentage`, `KILOBITS/S`), only where the spelling maps to one Grafana
 * unit whatever its case. Short symbols stay case-sensitive: `Mb/s` is not `MB/s`, `MW` is not `mW`.
 */
const LOWER_CASE_UNITS: ReadonlyMap<string, string> = (() => {
  const byLower = new Map<string, Set<string>>();
  for (const [netdata, grafana] of Object.entries(NETDATA_TO_GRAFANA_UNITS)) {
    const key = netdata.toLowerCase();
    byLower.set(key, (byLower.get(key) ?? new Set()).add(grafana));
  }
  const unique = new Map<string, string>();
  for (const [key, ids] of byLower) {
    if (ids.size === 1) {
      unique.set(key, [...ids][0]);
    }
  }
  return unique;
})();

/**
 * The Grafana unit id for a Netdata unit string. Unknown units become Grafana's custom `suffix:<text>` unit so
 * the panel still shows Netdata's words (e.g. `suffix:microseconds lost/s`). Undefined/empty in, undefined out.
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
  const caseless = /[a-z]{3,}/i.test(units) ? LOWER_CASE_UNITS.get(units.toLowerCase()) : undefined;
  return caseless ?? `suffix:${units}`;
}
