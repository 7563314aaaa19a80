// Which tier a statistical time group is read from (netdata-api-extra.md §7.5, §8.8): median, percentiles, trimmed
// means, stddev, cv, ses, des and countif are exact only on tier-0 samples; higher tiers feed them per-minute or
// per-hour averages. Tier 0 is forced inside its retention; beyond it Netdata picks the tier and the frame says so.
import { finiteNumber, isJsonObject, nonEmptyString } from './jsonValues';
import type { Json2Response, NetdataQueryModel } from './types';
import { TIER0_TIME_GROUPS } from './vocabulary';

/** One entry of `agents[0].db_size[]` of `/api/v2|v3/info`. */
export interface TierRetention {
  tier: number;
  /** Netdata's own words: "1s", "1m", "1h". */
  granularity?: string;
  /** Oldest second the tier holds; absent while it holds no data. */
  fromSec?: number;
}

/** The tiers of an info document's `db_size[]`, in tier order; entries without a tier number are skipped. */
export function parseTierRetention(dbSize: unknown): TierRetention[] {
  if (!Array.isArray(dbSize)) {
    return [];
  }
  const tiers: TierRetention[] = [];
  for (const item of dbSize) {
    if (!isJsonObject(item)) {
      continue;
    }
    const tier = finiteNumber(item.tier);
    if (tier === undefined || !Number.isInteger(tier) || tier < 0) {
      continue;
    }
    const entry: TierRetention = { tier };
    const granularity = nonEmptyString(item.granularity);
    const from = finiteNumber(item.from);
    if (granularity !== undefined) {
      entry.granularity = granularity;
    }
    if (from !== undefined && from > 0) {
      entry.fromSec = from;
    }
    tiers.push(entry);
  }
  return tiers.sort((a, b) => a.tier - b.tier);
}

export function isStatisticalTimeGroup(q: NetdataQueryModel): boolean {
  return TIER0_TIME_GROUPS.includes(q.timeGroup);
}

/**
 * `tier` of a data request starting at `afterSec`: the user's own tier; for a statistical time group tier 0 while
 * the window starts inside tier-0 retention (or when the retention is unknown: exact, possibly partly empty), none
 * (Netdata picks and stitches tiers) when it starts before; none for every other time group.
 */
export function dataTier(
  q: NetdataQueryModel,
  afterSec?: number,
  tiers?: readonly TierRetention[]
): number | undefined {
  if (q.tier !== undefined) {
    return q.tier;
  }
  if (!isStatisticalTimeGroup(q)) {
    return undefined;
  }
  const tier0From = tiers?.find((t) => t.tier === 0)?.fromSec;
  return tier0From !== undefined && afterSec !== undefined && afterSec < tier0From ? undefined : 0;
}

function perSlot(granularity: string | undefined, tier: number): string {
  switch (granularity) {
    case '1m':
      return 'per-minute averages';
    case '1h':
      return 'per-hour averages';
    case undefined:
      return `tier-${tier} averages`;
    default:
      return `averages per ${granularity}`;
  }
}

function isoSeconds(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The notice of a statistical time group that Netdata answered from higher tiers (`db.per_tier[].points`), naming
 * them; undefined when the answer is exact (tier 0 only, or forced). An answer without `per_tier` is said to be
 * possibly aggregated.
 */
export function aggregatedTierNotice(
  q: NetdataQueryModel,
  tierSent: number | undefined,
  resp: Json2Response,
  tiers: readonly TierRetention[]
): string | undefined {
  if (!isStatisticalTimeGroup(q) || tierSent === 0) {
    return undefined;
  }
  const perTier = resp.db?.per_tier;
  const used = perTier === undefined ? undefined : perTier.filter((t) => t.tier > 0 && t.points > 0);
  if (used !== undefined && used.length === 0) {
    return undefined;
  }
  const tier0From = tiers.find((t) => t.tier === 0)?.fromSec;
  const exactFrom = tier0From === undefined ? '' : `; tier 0 (every sample) starts at ${isoSeconds(tier0From)}`;
  const what = tierSent === undefined ? 'this range reaches past tier-0 retention, so ' : '';
  if (used === undefined) {
    return (
      `${q.timeGroup}: ${what}Netdata may compute it from aggregated points of a higher tier, not from every ` +
      `sample${exactFrom}`
    );
  }
  const from = used
    .map((t) => `${perSlot(tiers.find((r) => r.tier === t.tier)?.granularity, t.tier)} (tier ${t.tier})`)
    .join(' and ');
  return `${q.timeGroup}: ${what}Netdata computed it from ${from}, not from every sample${exactFrom}`;
}
