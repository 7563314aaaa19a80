import { ALERT_TRANSITIONS_QUERY_TYPE, METRICS_QUERY_TYPE, queryTypeOf } from './queryType';

describe('queryTypeOf', () => {
  it('prefers DataQuery.queryType over the JSON', () => {
    expect(queryTypeOf(ALERT_TRANSITIONS_QUERY_TYPE, { queryType: 'other' })).toBe(ALERT_TRANSITIONS_QUERY_TYPE);
  });

  it('reads the JSON when DataQuery.queryType is empty', () => {
    expect(queryTypeOf('', { queryType: ALERT_TRANSITIONS_QUERY_TYPE })).toBe(ALERT_TRANSITIONS_QUERY_TYPE);
    expect(queryTypeOf(undefined, { queryType: ALERT_TRANSITIONS_QUERY_TYPE })).toBe(ALERT_TRANSITIONS_QUERY_TYPE);
  });

  it('makes queries without a type (every earlier saved query) metrics queries', () => {
    expect(queryTypeOf('', {})).toBe(METRICS_QUERY_TYPE);
    expect(queryTypeOf(undefined, { queryType: '' })).toBe(METRICS_QUERY_TYPE);
    expect(queryTypeOf(undefined, { queryType: 42 })).toBe(METRICS_QUERY_TYPE);
  });
});
