// A stand-in for the two Grafana server routes a data source page uses, backed by our real plugin executable over
// gRPC (tests/protocol/grafanaHost): POST /api/ds/query → QueryData, GET /api/datasources/uid/<uid>/resources/<path>
// → CallResource. Grafana's server turns the plugin's Arrow frames into data frame JSON for the browser; so does
// this (`frameJson`). What Grafana's server adds beyond that (auth, caching, expressions) is not here.
import type { IncomingMessage } from 'http';
import type { Table } from 'apache-arrow';

import type { DataSourceInstanceSettingsMsg } from '../../src/backend/protocol/messages';
import { decodeFrames, type PluginProcess, type QueryInput } from '../protocol/grafanaHost';
import type { ApiHandler } from './harness';

const TYPES: Record<string, string> = { time: 'time', number: 'number', string: 'string', boolean: 'boolean' };

/** One Arrow frame as Grafana's data frame JSON (schema + column values). */
export function frameJson(table: Table) {
  const meta = table.schema.metadata;
  const fields = table.schema.fields.map((field, i) => {
    const tstype = field.metadata.get('tstype') ?? 'other';
    const column = table.getChildAt(i);
    const values = Array.from({ length: table.numRows }, (_, row) => {
      const v: unknown = column?.get(row);
      if (typeof v === 'bigint') {
        return Number(v / BigInt(1_000_000)); // ns timestamps → ms
      }
      if (v instanceof Uint8Array) {
        return JSON.parse(new TextDecoder().decode(v)) as unknown;
      }
      return v ?? null;
    });
    const labels = field.metadata.get('labels');
    const config = field.metadata.get('config');
    return {
      schema: {
        name: field.name,
        type: TYPES[tstype] ?? 'other',
        ...(labels ? { labels: JSON.parse(labels) } : {}),
        ...(config ? { config: JSON.parse(config) } : {}),
      },
      values,
    };
  });
  return {
    schema: {
      name: meta.get('name') || undefined,
      refId: meta.get('refId'),
      meta: meta.get('meta') ? JSON.parse(meta.get('meta')!) : undefined,
      fields: fields.map((f) => f.schema),
    },
    data: { values: fields.map((f) => f.values) },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface PostedQuery {
  refId: string;
  queryType?: string;
  maxDataPoints?: number;
  intervalMs?: number;
  [key: string]: unknown;
}

/** The Grafana API stand-in for one data source (`uid`), answering through `plugin` with `settings`. */
export function grafanaApi(plugin: PluginProcess, settings: DataSourceInstanceSettingsMsg, uid: string): ApiHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://grafana');
    if (req.method === 'POST' && url.pathname === '/api/ds/query') {
      const body = JSON.parse(await readBody(req)) as { queries: PostedQuery[]; from: string; to: string };
      const inputs: QueryInput[] = body.queries.map((q) => ({
        refId: q.refId,
        json: q,
        queryType: q.queryType,
        fromMs: Number(body.from),
        toMs: Number(body.to),
        maxDataPoints: q.maxDataPoints,
        intervalMs: q.intervalMs,
      }));
      const answer = await plugin.queryData(settings, inputs);
      const results = Object.fromEntries(
        Object.entries(answer.responses).map(([refId, r]) => [
          refId,
          {
            status: r.status,
            ...(r.error ? { error: r.error, errorSource: r.errorSource } : {}),
            frames: decodeFrames(r.frames).map(frameJson),
          },
        ])
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
      return true;
    }
    const resource = new RegExp(`^/api/datasources/uid/${uid}/resources/(.+)$`).exec(url.pathname);
    if (req.method === 'GET' && resource) {
      const answer = await plugin.callResource(settings, `${resource[1]}${url.search}`);
      res.writeHead(answer.code, { 'content-type': 'application/json' }).end(answer.text);
      return true;
    }
    return false;
  };
}
