// The query JSON Grafana sends (`DataQuery.json`), checked at the edge before the core validates the model: a size
// and nesting limit, and an object at the top.
//
// Unknown keys are ignored, not refused. The JSON is the whole frontend query: Grafana's own keys (refId,
// datasource, intervalMs, maxDataPoints, hide, key, queryType, datasourceId, editorMode, …; the set grows with
// Grafana versions), keys of other plugin versions and of Netdata's own plugin (migrated by the core). Refusing
// them would break saved dashboards and alert rules on an upgrade. They are still bounded by the limits here.
import type { Result } from '../../netdata/types';

/** Far above any real query (1 000 node ids of 40 characters is 45 KB). */
export const MAX_QUERY_JSON_BYTES = 1024 * 1024;
/** Our model nests 3 deep (labels: [{key, value}]); Grafana's datasource ref 2. */
export const MAX_QUERY_JSON_DEPTH = 16;

/** Nesting depth of JSON text, stopping as soon as it passes `limit` (strings are skipped, escapes honoured). */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++;
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) {
        return true;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

export function parseQueryJson(bytes: Uint8Array | undefined): Result<Record<string, unknown>> {
  const size = bytes?.byteLength ?? 0;
  if (size === 0) {
    return { ok: false, error: 'the query is empty (no JSON)' };
  }
  if (size > MAX_QUERY_JSON_BYTES) {
    return {
      ok: false,
      error: `the query JSON is too large (${size} bytes; at most ${MAX_QUERY_JSON_BYTES})`,
    };
  }
  const text = Buffer.from(bytes!.buffer, bytes!.byteOffset, size).toString('utf8');
  if (jsonDepthExceeds(text, MAX_QUERY_JSON_DEPTH)) {
    return { ok: false, error: `the query JSON is nested too deeply (more than ${MAX_QUERY_JSON_DEPTH} levels)` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the query is not valid JSON' };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, error: 'the query must be a JSON object' };
  }
  return { ok: true, value: raw as Record<string, unknown> };
}
