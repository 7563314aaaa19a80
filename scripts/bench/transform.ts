// Benchmark: json2 → frames → Arrow, against JSON.parse of the same body. Every repetition parses a FRESH copy of
// the body and transforms that copy: V8 rewrites the small `[value, arp, pa]` arrays when they are first touched,
// so transforming an object that was already walked once would flatter the transform several times over.
// Run by scripts/bench.mjs (bundled with esbuild, started with --expose-gc and a large young generation).
import { json2ToFrames } from '../../src/netdata/frames';
import { parseJson2 } from '../../src/netdata/json2';
import { parseQuery } from '../../src/netdata/query';
import type { Frame, NetdataQueryModel } from '../../src/netdata/types';
import { encodeFrames } from '../../src/backend/frames/arrowFrame';
import { json2Body } from '../../tests/hardening/json2Body';

declare const gc: () => void;

interface SizeResult {
  series: number;
  points: number;
  bodyMiB: number;
  reps: number;
  parseMs: number;
  transformMs: number;
  encodeMs: number;
  transformRatio: number;
  encodeRatio: number;
  heapMiB: number;
  frames: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function toFrames(parsed: unknown, query: NetdataQueryModel): Frame[] {
  const resp = parseJson2(parsed);
  if (!resp.ok) {
    throw new Error(resp.error);
  }
  return json2ToFrames(resp.value, { refId: 'A', query, executedQueryString: '/api/v3/data?contexts=bench' });
}

function measure(series: number, points: number, reps: number): SizeResult {
  const body = json2Body({ series, points, newestFirst: true });
  const parsedQuery = parseQuery({ context: 'system.cpu' });
  if (!parsedQuery.ok) {
    throw new Error(parsedQuery.error);
  }
  const query = parsedQuery.value;
  const parse: number[] = [];
  const transform: number[] = [];
  const encode: number[] = [];
  const transformRatio: number[] = [];
  const encodeRatio: number[] = [];
  const heap: number[] = [];
  let frameCount = 0;
  for (let rep = -2; rep < reps; rep++) {
    gc();
    const t0 = performance.now();
    const fresh: unknown = JSON.parse(body);
    const t1 = performance.now();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const t2 = performance.now();
    const frames = toFrames(fresh, query);
    const t3 = performance.now();
    const bytes = encodeFrames(frames);
    const t4 = performance.now();
    // No collection runs in between (young generation sized above the allocation): this is the peak.
    const heapAfter = process.memoryUsage().heapUsed;
    frameCount = bytes.length;
    if (rep < 0) {
      continue; // warm-up
    }
    parse.push(t1 - t0);
    transform.push(t3 - t2);
    encode.push(t4 - t3);
    transformRatio.push((t3 - t2) / (t1 - t0));
    encodeRatio.push((t4 - t3) / (t1 - t0));
    heap.push((heapAfter - heapBefore) / (1024 * 1024));
  }
  return {
    series,
    points,
    bodyMiB: Buffer.byteLength(body) / (1024 * 1024),
    reps,
    parseMs: median(parse),
    transformMs: median(transform),
    encodeMs: median(encode),
    transformRatio: median(transformRatio),
    encodeRatio: median(encodeRatio),
    heapMiB: Math.max(...heap),
    frames: frameCount,
  };
}

const SIZES: Array<[number, number, number]> = [
  [20, 300, 40],
  [200, 1000, 12],
  [1000, 500, 8],
];

const only = process.argv[2];
const results = SIZES.filter(([s, p]) => !only || only === `${s}x${p}`).map(([s, p, reps]) => measure(s, p, reps));
process.stdout.write(`${JSON.stringify(results)}\n`);
