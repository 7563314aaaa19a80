// Captures small answers of the real Netdata 1.37.1 fixture into tests/fixtures/netdata-1.37/ (run by hand:
// `tests/real-netdata/netdata.sh start && tests/real-netdata/netdata.sh wait && node tests/real-netdata/capture.mjs`).
// Big documents are trimmed (charts/contexts to a few entries); everything else is the agent's bytes, re-indented.
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const base = process.env.NETDATA_V1_URL ?? 'http://127.0.0.1:19991';
const child = process.env.NETDATA_V1_CHILD ?? 'nd-child';
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'netdata-1.37');
mkdirSync(out, { recursive: true });

const KEEP_CHARTS = ['system.cpu', 'system.load', 'system.ram', 'disk.vda', 'disk.zram0', 'net.eth0', 'net.ifb0'];
const KEEP_CONTEXTS = ['system.cpu', 'system.load', 'disk.io', 'net.net'];

async function get(path) {
  const r = await fetch(base + path);
  return { status: r.status, contentType: r.headers.get('content-type'), body: await r.text() };
}

function save(name, doc) {
  writeFileSync(join(out, name), JSON.stringify(doc, null, 1) + '\n');
  console.log(`${name}`);
}

async function json(name, path, trim = (d) => d) {
  const r = await get(path);
  if (r.status !== 200) {
    throw new Error(`${path}: HTTP ${r.status} ${r.body}`);
  }
  save(name, trim(JSON.parse(r.body)));
}

function pick(obj, keys) {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}

const trimCharts = (d) => ({ ...d, charts: pick(d.charts, KEEP_CHARTS) });
const trimContexts = (d) => ({ ...d, contexts: pick(d.contexts, KEEP_CONTEXTS) });
// Whole seconds in the past, so the windows are fixed and the captures say which window they are.
const before = Math.floor(Date.now() / 1000) - 5;
const after = before - 60;
const win = `after=${after}&before=${before}`;

await json('v1_info.json', '/api/v1/info');
await json('v1_info_child_via_parent.json', `/host/${child}/api/v1/info`);
await json('v1_charts.json', '/api/v1/charts', trimCharts);
await json('v1_charts_child_via_parent.json', `/host/${child}/api/v1/charts`, trimCharts);
await json('v1_contexts_full.json', '/api/v1/contexts?options=full', trimContexts);
await json(
  'v1_data_system_cpu_jsonwrap.json',
  `/api/v1/data?chart=system.cpu&${win}&points=6&format=json&options=jsonwrap,seconds`
);
await json(
  'v1_data_system_cpu_dimensions.json',
  `/api/v1/data?chart=system.cpu&dimensions=user|system&${win}&points=6&format=json&options=jsonwrap,seconds`
);
await json(
  'v1_data_system_cpu_context.json',
  `/api/v1/data?context=system.cpu&${win}&points=6&format=json&options=jsonwrap,seconds`
);
await json(
  'v1_data_disk_io_context_labels.json',
  `/api/v1/data?context=disk.io&chart_label_key=device&${win}&points=4&format=json&options=jsonwrap,seconds`
);
await json(
  'v1_data_system_load_max.json',
  `/api/v1/data?chart=system.load&${win}&points=4&group=max&format=json&options=jsonwrap,seconds`
);
await json('v1_data_system_load_plain.json', `/api/v1/data?chart=system.load&${win}&points=4&format=json`);
await json(
  'v1_data_child_system_cpu_via_parent.json',
  `/host/${child}/api/v1/data?chart=system.cpu&${win}&points=6&format=json&options=jsonwrap,seconds`
);
await json('v1_alarm_log.json', '/api/v1/alarm_log');
await json('v1_alarms_all.json', '/api/v1/alarms?all');

// Error answers: status, content type and body as sent.
const errors = {};
for (const [name, path] of [
  ['v2_info', '/api/v2/info'],
  ['v2_data', '/api/v2/data?contexts=system.cpu'],
  ['v1_unknown_command', '/api/v1/nosuchcommand'],
  ['v1_data_no_chart', '/api/v1/data'],
  ['v1_data_unknown_chart', '/api/v1/data?chart=no.such.chart'],
  ['v1_data_unknown_context', '/api/v1/data?context=no.such.context'],
  ['v1_data_unknown_dimension', '/api/v1/data?chart=system.cpu&dimensions=nosuchdim&after=-10&format=json'],
  ['host_unknown', '/host/no-such-host/api/v1/info'],
]) {
  errors[name] = { path, ...(await get(path)) };
}
save('errors.json', errors);
