/** @jest-environment node */
import { loadFixture } from '../../tests/fixtures';
import { buildAgentDataRequest } from './agentRequest';
import { parseJson2 } from './json2';
import { DEFAULT_QUERY } from './query';
import { aggregatedTierNotice, dataTier, parseTierRetention, type TierRetention } from './tiers';
import type { Json2Response, NetdataQueryModel } from './types';

const TIER0_FROM = 1_800_000_000;
const TIERS: TierRetention[] = [
  { tier: 0, granularity: '1s', fromSec: TIER0_FROM },
  { tier: 1, granularity: '1m', fromSec: TIER0_FROM - 30 * 86400 },
  { tier: 2, granularity: '1h', fromSec: TIER0_FROM - 365 * 86400 },
];

function model(extra: Partial<NetdataQueryModel>): NetdataQueryModel {
  return { ...DEFAULT_QUERY, context: 'system.cpu', ...extra };
}

function tier1Answer(): Json2Response {
  const parsed = parseJson2(loadFixture('v2_data_tier1.json'));
  if (!parsed.ok) {
    throw new Error(parsed.error);
  }
  return parsed.value;
}

describe('parseTierRetention', () => {
  it("reads db_size of Netdata 2.9's info in tier order", () => {
    const info = loadFixture('v3_info.json') as { agents: Array<{ db_size: unknown }> };
    expect(parseTierRetention(info.agents[0].db_size)).toEqual([
      { tier: 0, granularity: '1s', fromSec: 1795878515 },
      { tier: 1, granularity: '1m', fromSec: 1795878515 },
      { tier: 2, granularity: '1h', fromSec: 1795878515 },
    ]);
  });

  it('skips entries without a tier number and leaves out an empty tier’s from', () => {
    expect(
      parseTierRetention([{ tier: 1, granularity: '1m' }, { granularity: '1h' }, 'x', { tier: 0, from: 0 }, null])
    ).toEqual([{ tier: 0 }, { tier: 1, granularity: '1m' }]);
    expect(parseTierRetention(undefined)).toEqual([]);
  });
});

describe('dataTier', () => {
  it('forces tier 0 for a statistic whose window starts inside tier-0 retention', () => {
    expect(dataTier(model({ timeGroup: 'percentile' }), TIER0_FROM, TIERS)).toBe(0);
    expect(dataTier(model({ timeGroup: 'median' }), TIER0_FROM + 3600, TIERS)).toBe(0);
  });

  it('lets Netdata pick the tier when the window starts before tier-0 retention', () => {
    expect(dataTier(model({ timeGroup: 'percentile' }), TIER0_FROM - 1, TIERS)).toBeUndefined();
    expect(dataTier(model({ timeGroup: 'countif' }), TIER0_FROM - 7 * 86400, TIERS)).toBeUndefined();
  });

  it('keeps tier 0 when the retention is unknown, sends the user’s tier as it is and none for average', () => {
    expect(dataTier(model({ timeGroup: 'stddev' }), TIER0_FROM - 86400, [])).toBe(0);
    expect(dataTier(model({ timeGroup: 'stddev' }))).toBe(0);
    expect(dataTier(model({ timeGroup: 'percentile', tier: 2 }), TIER0_FROM, TIERS)).toBe(2);
    expect(dataTier(model({ timeGroup: 'average' }), TIER0_FROM, TIERS)).toBeUndefined();
  });

  it('is what the agent data request sends', () => {
    const window = (fromSec: number) => ({
      fromMs: fromSec * 1000,
      toMs: (TIER0_FROM + 7200) * 1000,
      maxDataPoints: 100,
      intervalMs: 1000,
    });
    const tierOf = (fromSec: number) =>
      new URLSearchParams(
        buildAgentDataRequest(model({ timeGroup: 'percentile' }), window(fromSec), 3, { tiers: TIERS }).path.split(
          '?'
        )[1]
      ).get('tier');
    expect(tierOf(TIER0_FROM + 60)).toBe('0');
    expect(tierOf(TIER0_FROM - 86400)).toBeNull();
  });
});

describe('aggregatedTierNotice', () => {
  it('names the tier and its granularity when Netdata answered a statistic from tier 1', () => {
    expect(aggregatedTierNotice(model({ timeGroup: 'percentile' }), undefined, tier1Answer(), TIERS)).toBe(
      'percentile: this range reaches past tier-0 retention, so Netdata computed it from per-minute averages ' +
        '(tier 1), not from every sample; tier 0 (every sample) starts at 2027-01-15T08:00:00Z'
    );
  });

  it('says nothing when tier 0 was forced, when only tier 0 answered, or for an average', () => {
    const answer = tier1Answer();
    expect(aggregatedTierNotice(model({ timeGroup: 'percentile' }), 0, answer, TIERS)).toBeUndefined();
    expect(aggregatedTierNotice(model({ timeGroup: 'average' }), undefined, answer, TIERS)).toBeUndefined();
    const tier0Only = {
      ...answer,
      db: {
        ...answer.db,
        per_tier: [
          { tier: 0, points: 120 },
          { tier: 1, points: 0 },
        ],
      },
    };
    expect(aggregatedTierNotice(model({ timeGroup: 'percentile' }), undefined, tier0Only, TIERS)).toBeUndefined();
  });

  it('says the statistic may be aggregated when the answer does not tell the tiers', () => {
    const answer = tier1Answer();
    const text = aggregatedTierNotice(model({ timeGroup: 'median' }), undefined, { ...answer, db: {} }, TIERS);
    expect(text).toMatch(
      /^median: this range reaches past tier-0 retention, so Netdata may compute it from aggregated/
    );
  });

  it('names the tier the user chose', () => {
    expect(aggregatedTierNotice(model({ timeGroup: 'stddev', tier: 1 }), 1, tier1Answer(), TIERS)).toMatch(
      /^stddev: Netdata computed it from per-minute averages \(tier 1\), not from every sample/
    );
  });
});
