// What an agent's version changes in a data request (netdata-api.md §2.6, §7; netdata-api-extra.md §7.2, §8).
import type { LabelMatching } from './patterns';

export interface AgentFeatures {
  /** The version as the agent reports it ('' when unknown). */
  version: string;
  /** `labels`: per-key AND of exact items from v1.45, one pattern OR-ed over every label before (§8.4). */
  labelMatching: Exclude<LabelMatching, 'cloud'>;
  /** The series-limit parameter the agent reads: `limit` from v2.11, `cardinality_limit` from v2.6, none before. */
  seriesLimit: 'limit' | 'cardinality_limit' | undefined;
}

function versionParts(version: string): [number, number] | undefined {
  const m = /^\s*v?(\d+)\.(\d+)/i.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function atLeast(v: [number, number], major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

/** The features of an agent version; an unreadable version is taken for a current agent. */
export function agentFeatures(version: string): AgentFeatures {
  const v = versionParts(version);
  if (v === undefined) {
    return { version, labelMatching: 'per-key', seriesLimit: 'cardinality_limit' };
  }
  return {
    version,
    labelMatching: atLeast(v, 1, 45) ? 'per-key' : 'any-label',
    seriesLimit: atLeast(v, 2, 11) ? 'limit' : atLeast(v, 2, 6) ? 'cardinality_limit' : undefined,
  };
}
