// Runs saved queries (as the editor saves them) through the executable's QueryData against the fake Netdata, and
// pairs each answer with the request the fake recorded for it (by the frames' executedQueryString) and with the
// fake's answer to that request, re-issued, so that tests can check both ends of every control.
import type { Table } from 'apache-arrow';
import type { FakeNetdata, RecordedRequest } from '../fake-netdata/server';
import type { DataSourceInstanceSettingsMsg, DataResponseMsg } from '../../src/backend/protocol/messages';
import type { CloudDataBody, FieldConfig, FrameNotice, QueryWindow } from '../../src/netdata/types';
import { decodeFrames, type PluginProcess } from './grafanaHost';
import { decodedSeries, expectedSeries, type ExpectedSeries } from './json2Expect';

export type Transport = 'agent' | 'cloud';

/** The parts of a json2 answer the tests read. */
export interface Json2Doc {
  summary?: { nodes?: Array<{ mg: string; nd?: string; nm: string }> };
  result: { labels: string[]; point?: Record<string, number>; data: unknown[][] };
  db?: { per_tier?: Array<{ tier: number; queries: number; points: number }> };
  view: {
    units?: string | string[];
    update_every?: number;
    after?: number;
    before?: number;
    dimensions: { ids: string[]; names?: string[]; grouped_by?: string[]; units?: string[] };
  };
}

export interface Series {
  name: string;
  labels: Record<string, string>;
  times: number[];
  values: Array<number | null>;
  config: FieldConfig;
  timeConfig: FieldConfig;
}

export interface Outcome {
  name: string;
  refId: string;
  saved: Record<string, unknown>;
  window: QueryWindow;
  response: DataResponseMsg;
  executedQueryString: string;
  recorded: RecordedRequest;
  /** Agent: the recorded query string. */
  params: URLSearchParams;
  /** Cloud: the recorded body. */
  body: CloudDataBody;
  /** The fake's answer to the recorded request, asked again. */
  doc: Json2Doc;
  expected: ExpectedSeries[];
  /** Value frames, in frame order. */
  series: Series[];
  /** Anomaly-rate frames (label series_type=anomaly_rate), in frame order. */
  anomaly: Series[];
  notices: FrameNotice[];
  tables: Table[];
}

export interface ControlCase {
  name: string;
  /** The query JSON as the editor saves it (without refId, which Grafana adds). */
  saved: Record<string, unknown>;
  /** Changes to the panel's time range / resolution. */
  window?: Partial<QueryWindow>;
  /** Data source settings other than the default ones (by key of the settings map given to runCases). */
  settings?: string;
  /** Assertions on the recorded Agent request (query string). */
  agent?: (p: URLSearchParams, o: Outcome) => void;
  /** Assertions on the recorded Cloud request (body and path). */
  cloud?: (b: CloudDataBody, o: Outcome) => void;
  /** Assertions on the decoded frames; `other(name)` gives the outcome of another case of the same run. */
  frames: (o: Outcome, other: (name: string) => Outcome) => void;
}

const DATA_PATH = /^\/api\/v[23]\/data$|\/rooms\/[^/]+\/data$/;

function fieldConfig(text: string | null | undefined): FieldConfig {
  return text ? (JSON.parse(text) as FieldConfig) : {};
}

export function decodeSeries(table: Table): Series {
  const s = decodedSeries(table);
  return {
    ...s,
    config: fieldConfig(table.schema.fields[1].metadata.get('config')),
    timeConfig: fieldConfig(table.schema.fields[0].metadata.get('config')),
  };
}

function frameMeta(table: Table): { executedQueryString?: string; notices?: FrameNotice[] } {
  const text = table.schema.metadata.get('meta');
  return text ? JSON.parse(text) : {};
}

/** The anomaly rate (`arp`) of every point of every output dimension; no rate where the value is a gap. */
export function expectedAnomalyRates(doc: Json2Doc, expected: ExpectedSeries[]): Array<Array<number | null>> {
  const arpAt = doc.result.point?.arp ?? 1;
  const rows = doc.result.data.map((row) => ({ t: Number(row[0]), row })).sort((a, b) => a.t - b.t);
  return expected.map((series, i) =>
    rows.map(({ row }, r) => {
      const arp = (row[i + 1] as unknown[])[arpAt];
      return series.values[r] === null || typeof arp !== 'number' ? null : arp;
    })
  );
}

function recordedText(r: RecordedRequest, transport: Transport): string {
  return transport === 'agent' ? `${r.path}?${r.query.toString()}` : `POST ${r.path} ${JSON.stringify(r.body)}`;
}

/** The executed query string of the answer, read the way the fake recorded requests (agent: decoded parameters). */
function normalisedExecuted(executed: string, transport: Transport): string {
  if (transport === 'cloud') {
    return executed;
  }
  const q = executed.indexOf('?');
  return `${executed.slice(0, q)}?${new URLSearchParams(executed.slice(q + 1)).toString()}`;
}

async function reissue(fake: FakeNetdata, r: RecordedRequest, headers: Record<string, string>): Promise<Json2Doc> {
  const res =
    r.method === 'GET'
      ? await fetch(`${fake.url}${r.path}?${r.query.toString()}`, { headers })
      : await fetch(`${fake.url}${r.path}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify(r.body),
        });
  if (res.status !== 200) {
    throw new Error(`re-issued ${r.method} ${r.path} answered ${res.status}: ${await res.text()}`);
  }
  return (await res.json()) as Json2Doc;
}

export interface RunOptions {
  plugin: PluginProcess;
  fake: FakeNetdata;
  transport: Transport;
  settings: Record<string, DataSourceInstanceSettingsMsg> & { default: DataSourceInstanceSettingsMsg };
  window: QueryWindow;
  /** Headers for re-issuing requests (the Cloud token). */
  headers?: Record<string, string>;
  /** Queries per QueryData call. */
  batch?: number;
}

/**
 * Sends every case through QueryData (several per call, as a dashboard does), then pairs each answer with its
 * recorded request and the fake's answer to it. Cases whose answer is not a 200 with frames still get an outcome
 * (with empty parts) so that their own test reports the failure.
 */
export interface RunResult {
  outcomes: Map<string, Outcome>;
  /** The data requests the executable sent for the cases (before any was re-issued). */
  sent: RecordedRequest[];
}

export async function runCases(cases: readonly ControlCase[], opts: RunOptions): Promise<RunResult> {
  const { plugin, fake, transport } = opts;
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) {
      throw new Error(`duplicate case name ${c.name}`);
    }
    names.add(c.name);
  }
  fake.requests.length = 0;
  const indexed = cases.map((c, i) => ({ c, refId: `Q${String(i).padStart(3, '0')}` }));
  const groups = new Map<string, typeof indexed>();
  for (const item of indexed) {
    const key = item.c.settings ?? 'default';
    if (opts.settings[key] === undefined) {
      throw new Error(`case ${item.c.name}: no settings named ${key}`);
    }
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const responses = new Map<string, DataResponseMsg>();
  const batch = opts.batch ?? 25;
  for (const [key, items] of groups) {
    for (let i = 0; i < items.length; i += batch) {
      const slice = items.slice(i, i + batch);
      const res = await plugin.queryData(
        opts.settings[key],
        slice.map(({ c, refId }) => ({ refId, json: c.saved, ...opts.window, ...c.window }))
      );
      for (const { refId } of slice) {
        responses.set(refId, res.responses[refId]);
      }
    }
  }
  const dataRequests = fake.requests.filter((r) => DATA_PATH.test(r.path));
  const sent = [...dataRequests];
  const outcomes = new Map<string, Outcome>();
  for (const { c, refId } of indexed) {
    const response = responses.get(refId) ?? { frames: [], status: 0, error: 'no response' };
    const tables = response.status === 200 ? decodeFrames(response.frames) : [];
    const metas = tables.map(frameMeta);
    const executedQueryString = metas[0]?.executedQueryString ?? '';
    const wanted = normalisedExecuted(executedQueryString, transport);
    const recorded = dataRequests.find((r) => recordedText(r, transport) === wanted);
    const doc = recorded ? await reissue(fake, recorded, opts.headers ?? {}) : undefined;
    const decoded = tables.filter((t) => t.schema.fields.length === 2).map(decodeSeries);
    outcomes.set(c.name, {
      name: c.name,
      refId,
      saved: c.saved,
      window: { ...opts.window, ...c.window },
      response,
      executedQueryString,
      recorded: recorded ?? { method: '', path: '', query: new URLSearchParams(), headers: {} },
      params: recorded?.query ?? new URLSearchParams(),
      body: (recorded?.body ?? {}) as CloudDataBody,
      doc: doc ?? { result: { labels: [], data: [] }, view: { dimensions: { ids: [] } } },
      expected: doc ? expectedSeries(doc) : [],
      series: decoded.filter((s) => s.labels.series_type !== 'anomaly_rate'),
      anomaly: decoded.filter((s) => s.labels.series_type === 'anomaly_rate'),
      notices: metas.flatMap((m) => m.notices ?? []),
      tables,
    });
  }
  return { outcomes, sent };
}

/**
 * What holds for every control: a 200 answer whose frames all name the one request the fake recorded for it, and
 * whose series carry exactly the fake's values for that request (anomaly rates included when asked for).
 */
export function expectFaithful(o: Outcome): void {
  expect(o.response.error ?? '').toBe('');
  expect(o.response.status).toBe(200);
  expect(o.recorded.path).not.toBe('');
  for (const table of o.tables) {
    expect(frameMeta(table).executedQueryString).toBe(o.executedQueryString);
  }
  expect(o.series.map((s) => s.times)).toEqual(o.expected.map((e) => e.times));
  expect(o.series.map((s) => s.values)).toEqual(o.expected.map((e) => e.values));
  if (o.saved.anomalyRate === true) {
    expect(o.anomaly.map((s) => s.values)).toEqual(expectedAnomalyRates(o.doc, o.expected));
  } else {
    expect(o.anomaly).toEqual([]);
  }
}

/** Labels of the value series without the ones every series carries the same way. */
export function labelSets(o: Outcome, keys: string[]): Array<Record<string, string | undefined>> {
  return o.series.map((s) => Object.fromEntries(keys.map((k) => [k, s.labels[k]])));
}

/** Sorts label sets for order-free comparison. */
export function sortedSets<T>(sets: T[]): T[] {
  return [...sets].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
