// Test support for the fake server's own tests: HTTP calls and a loosely typed view of json2 answers.

export interface HttpAnswer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
}

export async function call(url: string, init?: RequestInit): Promise<HttpAnswer> {
  const res = await fetch(url, init);
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    headers: res.headers,
    text: await res.text(),
  };
}

export type Point = [number | null, number, number];

/** The parts of a json2 answer the tests read (the real document has more). */
export interface Json2Doc {
  api: number;
  summary: {
    nodes: Array<Record<string, unknown>>;
    contexts: Array<Record<string, unknown>>;
    instances: Array<Record<string, unknown>>;
    dimensions: Array<Record<string, unknown>>;
    labels: Array<Record<string, unknown>>;
    alerts?: Array<Record<string, unknown>>;
  };
  totals?: Record<string, unknown>;
  result: { labels: string[]; point?: Record<string, number>; data: Array<[number | string, ...Point[]]> };
  db: {
    tiers: number;
    update_every: number;
    first_entry: number | string | null;
    last_entry: number | string | null;
    units?: string | string[];
    dimensions: { ids: string[]; units?: string[]; sts?: Record<string, number[]> };
    per_tier: Array<{
      tier: number;
      queries: number;
      points: number;
      update_every: number;
      first_entry: unknown;
      last_entry: unknown;
    }>;
  };
  view: {
    title?: string;
    update_every: number;
    after: number | string;
    before: number | string;
    units?: string | string[];
    chart_type?: string;
    dimensions: {
      grouped_by: string[];
      ids: string[];
      names: string[];
      units?: string[];
      priorities?: number[];
      aggregated?: number[];
      sts?: Record<string, number[]>;
      labels?: Record<string, Array<string[] | null>>;
    };
    min: number | null;
    max: number | null;
  };
  agents?: Array<{ mg: string; nd: string | null; nm: string; now: number | string; ai: number }>;
}

export async function getJson2(url: string, init?: RequestInit): Promise<Json2Doc> {
  const answer = await call(url, init);
  if (answer.status !== 200) {
    throw new Error(`HTTP ${answer.status}: ${answer.text}`);
  }
  return JSON.parse(answer.text) as Json2Doc;
}

export function parseJson(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

/** Row timestamps in the order returned. */
export function times(doc: Json2Doc): Array<number | string> {
  return doc.result.data.map((row) => row[0]);
}

/** Values of one output dimension (by id), rows in the order returned. */
export function column(doc: Json2Doc, id: string): Array<number | null> {
  const index = doc.result.labels.indexOf(id);
  if (index < 1) {
    throw new Error(`no dimension ${id} in ${doc.result.labels.join(',')}`);
  }
  return doc.result.data.map((row) => (row[index] as Point)[0]);
}

export function annotations(doc: Json2Doc, id: string): number[] {
  const index = doc.result.labels.indexOf(id);
  return doc.result.data.map((row) => (row[index] as Point)[2]);
}
