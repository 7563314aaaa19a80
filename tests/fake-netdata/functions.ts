// Netdata functions (netdata-api-extra.md §5): the lists of /api/v1/functions and /api/v2|v3/functions, and
// /api/v1|v3/function answers: table functions (§5.3) and the systemd-journal logs function (§5.4, journal.ts),
// with the access rule of §5.2 (an anonymous caller gets 412 for functions needing a signed-in user).
import type { Dataset, NodeDef } from './dataset';
import { journalReply } from './journal';
import type { Reply } from './reply';
import { json, text } from './reply';

/** Access words of §5.2's table. */
const RESTRICTED = ['signed-in', 'same-space', 'sensitive-data'];
const ANONYMOUS = ['anonymous-data'];

export const SIGN_IN_MESSAGE =
  'You need to be authenticated via Netdata Cloud Single-Sign-On (SSO) to access this feature. Sign-in on this ' +
  'dashboard, or access your Netdata via https://app.netdata.cloud.';

export interface FunctionCall {
  dataset: Dataset;
  host: NodeDef;
  /** The caller carries a signed-in user's permissions (a valid bearer token). */
  signedIn: boolean;
  /** `function=` (one URL-decoding done), e.g. `processes info`. */
  command: string;
  /** POST payload (logs functions read it). */
  body?: string;
  wallSec: number;
  /** Oldest journal entry (epoch s). */
  startS?: number;
}

interface FakeFunction {
  name: string;
  help: string;
  tags: string;
  access: string[];
  priority: number;
  timeout: number;
  /** Nodes that register it (child01 streams only some GLOBAL functions). */
  onChild: boolean;
  answer(call: FunctionCall, args: string[]): Reply;
}

type ColumnSpec = {
  key: string;
  name: string;
  type: string;
  units?: string;
  visible?: boolean;
  visualization?: string;
  transform?: string;
  decimals?: number;
  max?: number;
  sort?: 'ascending' | 'descending';
  filter?: string;
  unique?: boolean;
  dummy?: boolean;
};

/** A column object with every key functions_fields.c writes (§5.3). */
function columns(specs: ColumnSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  specs.forEach((c, index) => {
    const col: Record<string, unknown> = {
      index,
      unique_key: c.unique ?? false,
      name: c.name,
      visible: c.visible ?? true,
      type: c.type,
      visualization: c.visualization ?? 'value',
      value_options: {
        ...(c.units !== undefined ? { units: c.units } : {}),
        transform: c.transform ?? (c.type === 'string' ? 'none' : 'number'),
        decimal_points: c.decimals ?? 0,
        default_value: null,
      },
      sort: c.sort ?? 'ascending',
      sortable: true,
      sticky: index === 0,
      summary: c.type === 'string' ? 'count' : 'sum',
      filter: c.filter ?? 'none',
      full_width: false,
      wrap: false,
      default_expanded_filter: false,
    };
    if (c.units !== undefined) {
      col.units = c.units;
    }
    if (c.max !== undefined) {
      col.max = c.max;
    }
    if (c.dummy) {
      col.dummy = true;
    }
    out[c.key] = col;
  });
  return out;
}

function tableDoc(
  call: FunctionCall,
  help: string,
  specs: ColumnSpec[],
  data: unknown[][],
  defaultSort: string
): Record<string, unknown> {
  return {
    hostname: call.host.nm,
    status: 200,
    type: 'table',
    update_every: 1,
    has_history: false,
    help,
    data,
    columns: columns(specs),
    default_sort_column: defaultSort,
    expires: call.wallSec + 1,
  };
}

/** Small deterministic variation per node and name. */
function jitter(node: NodeDef, key: string, span: number): number {
  let h = 0;
  for (const c of `${node.mg}/${key}`) {
    h = (h * 31 + c.charCodeAt(0)) >>> 0;
  }
  return (h % 1000) / (1000 / span);
}

function round(v: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}

function mounts(node: NodeDef): string[] {
  const found = node.instances.map((i) => i.labels.mount_point).filter((m): m is string => m !== undefined);
  return found.length > 0 ? found : ['/'];
}

function mountPoints(call: FunctionCall): Reply {
  const rows = mounts(call.host).map((m) => {
    const used = round(20 + jitter(call.host, m, 60));
    const sizeGiB = 100;
    const inodesUsed = round(2 + jitter(call.host, `i${m}`, 10));
    return [
      m,
      m === '/' ? 'ext4' : 'xfs',
      '/',
      used,
      round(sizeGiB * (1 - used / 100)),
      round((sizeGiB * used) / 100),
      round(sizeGiB * 0.05),
      inodesUsed,
      3400000,
      Math.round(3400000 * (inodesUsed / 100)),
      0,
    ];
  });
  const maxUsed = Math.max(...rows.map((r) => r[3] as number));
  const specs: ColumnSpec[] = [
    { key: 'Mountpoint', name: 'Mountpoint Name', type: 'string', unique: true, filter: 'multiselect' },
    { key: 'Filesystem', name: 'Filesystem Type', type: 'string', filter: 'multiselect' },
    { key: 'Root', name: 'Mount Root', type: 'string', visible: false },
    {
      key: 'Used%',
      name: 'Space Utilization',
      type: 'bar-with-integer',
      units: '%',
      visualization: 'bar',
      decimals: 2,
      max: maxUsed,
      sort: 'descending',
    },
    {
      key: 'Avail',
      name: 'Space Available',
      type: 'bar-with-integer',
      units: 'GiB',
      visualization: 'bar',
      decimals: 2,
      max: 100,
    },
    {
      key: 'Used',
      name: 'Space Used',
      type: 'bar-with-integer',
      units: 'GiB',
      visualization: 'bar',
      decimals: 2,
      max: 100,
    },
    {
      key: 'Reserved',
      name: 'Space Reserved for Root',
      type: 'bar-with-integer',
      units: 'GiB',
      visualization: 'bar',
      decimals: 2,
      visible: false,
    },
    {
      key: 'iUsed%',
      name: 'Inodes Utilization',
      type: 'bar-with-integer',
      units: '%',
      visualization: 'bar',
      decimals: 2,
      max: 100,
    },
    { key: 'iAvail', name: 'Inodes Available', type: 'bar-with-integer', units: 'inodes', visualization: 'bar' },
    { key: 'iUsed', name: 'Inodes Used', type: 'bar-with-integer', units: 'inodes', visualization: 'bar' },
    {
      key: 'iReserved',
      name: 'Inodes Reserved for Root',
      type: 'bar-with-integer',
      units: 'inodes',
      visualization: 'bar',
      visible: false,
    },
  ];
  return json(
    200,
    tableDoc(
      call,
      'Displays filesystem mount points with space utilization, available capacity, and inode usage statistics.',
      specs,
      rows,
      'Used%'
    )
  );
}

function blockDevices(call: FunctionCall): Reply {
  const devices = call.host.instances.filter((i) => i.context.id === 'disk.io');
  const rows = devices.map((d) => [
    d.labels.device,
    d.labels.device_type,
    round(d.scale * 100 + jitter(call.host, `r${d.id}`, 50)),
    round(d.scale * 60 + jitter(call.host, `w${d.id}`, 50)),
    round(jitter(call.host, `b${d.id}`, 40)),
    Math.round(10 + jitter(call.host, `q${d.id}`, 5)),
  ]);
  const specs: ColumnSpec[] = [
    { key: 'Device', name: 'Device', type: 'string', unique: true, filter: 'multiselect' },
    { key: 'Type', name: 'Type', type: 'string', filter: 'multiselect' },
    {
      key: 'Read',
      name: 'Read',
      type: 'bar-with-integer',
      units: 'KiB/s',
      visualization: 'bar',
      decimals: 2,
      sort: 'descending',
    },
    { key: 'Written', name: 'Written', type: 'bar-with-integer', units: 'KiB/s', visualization: 'bar', decimals: 2 },
    {
      key: 'Busy%',
      name: 'Utilization',
      type: 'bar-with-integer',
      units: '%',
      visualization: 'bar',
      decimals: 2,
      max: 100,
    },
    { key: 'QueueSize', name: 'Queue Size', type: 'integer', visible: false },
  ];
  return json(200, tableDoc(call, 'Block devices with their current I/O.', specs, rows, 'Read'));
}

function networkInterfaces(call: FunctionCall): Reply {
  const ifaces = call.host.instances.filter((i) => i.context.id === 'net.net');
  const list =
    ifaces.length > 0 ? ifaces.map((i) => [i.labels.device, i.labels.interface_type ?? 'real']) : [['eth0', 'real']];
  const rows = [...list, ['lo', 'virtual']].map(([dev, type]) => [
    dev,
    type,
    'up',
    round(jitter(call.host, `in${dev}`, 900)),
    round(jitter(call.host, `out${dev}`, 400)),
    dev === 'lo' ? 65536 : 1500,
    { severity: dev === 'lo' ? 'debug' : 'normal' },
  ]);
  const specs: ColumnSpec[] = [
    { key: 'Interface', name: 'Interface', type: 'string', unique: true, filter: 'multiselect' },
    { key: 'Type', name: 'Type', type: 'string', filter: 'multiselect' },
    { key: 'OperState', name: 'Operational State', type: 'string', filter: 'multiselect' },
    {
      key: 'Traffic In',
      name: 'Traffic In',
      type: 'bar-with-integer',
      units: 'Kbit',
      visualization: 'bar',
      decimals: 2,
      sort: 'descending',
    },
    {
      key: 'Traffic Out',
      name: 'Traffic Out',
      type: 'bar-with-integer',
      units: 'Kbit',
      visualization: 'bar',
      decimals: 2,
    },
    { key: 'MTU', name: 'MTU', type: 'integer', units: 'octets' },
    { key: 'rowOptions', name: 'rowOptions', type: 'none', visualization: 'rowOptions', visible: false, dummy: true },
  ];
  return json(200, tableDoc(call, 'Network interfaces with their traffic.', specs, rows, 'Traffic In'));
}

function processes(call: FunctionCall): Reply {
  const started = (call.wallSec - 3600) * 1000;
  const rows = [
    [1, 'systemd', 0.3, 12.5, 3600, started],
    [412, 'netdata', 2.1, 180.25, 3500, started + 100_000],
    [977, 'postgres', 7.8, 512, 1200, started + 2_400_000],
  ];
  const specs: ColumnSpec[] = [
    { key: 'PID', name: 'Process ID', type: 'integer', unique: true },
    { key: 'Cmd', name: 'Process Name', type: 'string', filter: 'multiselect' },
    {
      key: 'CPU',
      name: 'CPU Usage',
      type: 'bar-with-integer',
      units: '%',
      visualization: 'bar',
      decimals: 2,
      sort: 'descending',
      max: 100,
    },
    { key: 'Memory', name: 'Memory Usage', type: 'bar-with-integer', units: 'MiB', visualization: 'bar', decimals: 2 },
    { key: 'Uptime', name: 'Uptime', type: 'duration', transform: 'duration' },
    { key: 'Started', name: 'Started', type: 'timestamp', transform: 'datetime' },
  ];
  return json(200, tableDoc(call, 'Running processes.', specs, rows, 'CPU'));
}

const FUNCTIONS: FakeFunction[] = [
  {
    name: 'processes',
    help: 'Detailed information on the currently running processes.',
    tags: 'top',
    access: RESTRICTED,
    priority: 1,
    timeout: 10,
    onChild: false,
    answer: processes,
  },
  {
    name: 'systemd-journal',
    help: 'View, search and analyze systemd journal entries.',
    tags: 'logs',
    access: RESTRICTED,
    priority: 2,
    timeout: 60,
    onChild: true,
    answer: (c) => journalReply(c),
  },
  {
    name: 'mount-points',
    help: 'Disk space usage and inodes of mount points.',
    tags: 'top',
    access: ANONYMOUS,
    priority: 10,
    timeout: 10,
    onChild: true,
    answer: mountPoints,
  },
  {
    name: 'block-devices',
    help: 'Block devices with their I/O.',
    tags: 'top',
    access: ANONYMOUS,
    priority: 11,
    timeout: 10,
    onChild: false,
    answer: blockDevices,
  },
  {
    name: 'network-interfaces',
    help: 'Network interfaces with their traffic.',
    tags: 'top',
    access: ANONYMOUS,
    priority: 12,
    timeout: 10,
    onChild: true,
    answer: networkInterfaces,
  },
];

function offeredBy(node: NodeDef): FakeFunction[] {
  return FUNCTIONS.filter((f) => node.isParent || f.onChild);
}

/** `/api/v1/functions`: the host's functions keyed by name. */
export function v1FunctionsReply(host: NodeDef): Reply {
  const functions: Record<string, unknown> = {};
  for (const f of offeredBy(host)) {
    functions[f.name] = {
      help: f.help,
      timeout: f.timeout,
      version: 1,
      options: [host.isParent ? 'LOCAL' : 'GLOBAL'],
      tags: f.tags,
      access: f.access,
      priority: f.priority,
    };
  }
  return json(200, { functions });
}

/** `/api/v2|v3/functions`: every node, functions naming the nodes (`ni`) that offer them. */
export function v2FunctionsReply(dataset: Dataset): Reply {
  const nodes = dataset.nodes.map((n, ni) => ({ mg: n.mg, ...(n.nd ? { nd: n.nd } : {}), nm: n.nm, ni }));
  const functions = FUNCTIONS.map((f) => ({
    name: f.name,
    help: f.help,
    ni: dataset.nodes.flatMap((n, i) => (offeredBy(n).includes(f) ? [i] : [])),
    priority: f.priority,
    version: 1,
    tags: f.tags,
    access: f.access,
  }));
  return json(200, { api: 2, nodes, functions, versions: {}, agents: [], timings: {} });
}

/** `/api/v1|v3/function`: looks the name up by stripping trailing words (§5.1), checks access (§5.2), answers. */
export function functionReply(call: FunctionCall): Reply {
  const words = call.command
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const offered = offeredBy(call.host);
  for (let n = words.length; n > 0; n--) {
    const name = words.slice(0, n).join(' ');
    const fn = offered.find((f) => f.name === name);
    if (fn === undefined) {
      continue;
    }
    if (fn.access.some((a) => a !== 'anonymous-data') && !call.signedIn) {
      return json(412, { status: 412, errorMessage: SIGN_IN_MESSAGE });
    }
    return fn.answer(call, words.slice(n));
  }
  if (words.length === 0) {
    return text(400, 'Function name is required.');
  }
  return json(404, { status: 404, errorMessage: 'This feature is not available on this host at this time.' });
}
