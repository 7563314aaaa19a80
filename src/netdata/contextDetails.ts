// One context in detail (dimensions, instances, label values) for the query editor, from the agent's
// `/api/v3|v2/contexts?scope_contexts=<id>&options=titles,dimensions,labels,instances` or the Cloud contexts
// POST (netdata-api.md §4.1). Untrusted input: unknown shapes give undefined, stray values are dropped.
import type { ContextSummary } from './catalog';

export type ContextDetails = ContextSummary & {
  dimensions: string[];
  instances: string[];
  labels: Record<string, string[]>;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return [...new Set(value.filter((v): v is string => typeof v === 'string'))];
}

function labelValues(value: unknown): Record<string, string[]> {
  const labels: Record<string, string[]> = {};
  if (!isRecord(value)) {
    return labels;
  }
  for (const [key, values] of Object.entries(value)) {
    const list = typeof values === 'string' ? [values] : strings(values);
    if (key !== '' && list.length > 0) {
      labels[key] = list;
    }
  }
  return labels;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function parseContextDetails(body: unknown, id: string): ContextDetails | undefined {
  if (!isRecord(body)) {
    return undefined;
  }
  const contexts = body.contexts;
  // Without any field option the agent answers a bare list of ids (§4.1).
  if (Array.isArray(contexts)) {
    return contexts.includes(id) ? { id, dimensions: [], instances: [], labels: {} } : undefined;
  }
  if (!isRecord(contexts) || !Object.prototype.hasOwnProperty.call(contexts, id)) {
    return undefined;
  }
  const entry = contexts[id];
  if (!isRecord(entry)) {
    return undefined;
  }
  const details: ContextDetails = {
    id,
    dimensions: strings(entry.dimensions),
    instances: strings(entry.instances),
    labels: labelValues(entry.labels),
  };
  const title = text(entry.title);
  const units = text(entry.units);
  const family = text(entry.family);
  if (title !== undefined) {
    details.title = title;
  }
  if (units !== undefined) {
    details.units = units;
  }
  if (family !== undefined) {
    details.family = family;
  }
  if (typeof entry.priority === 'number' && Number.isFinite(entry.priority)) {
    details.priority = entry.priority;
  }
  return details;
}
