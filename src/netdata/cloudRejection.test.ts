import { cloudRejectionText } from './cloudRejection';
import { parseQuery } from './query';

describe('cloudRejectionText', () => {
  it('names what the refused query asked for and what Cloud takes', () => {
    const q = parseQuery({
      context: 'system.cpu',
      aggregation: 'extremes',
      groupBy: ['node', 'dimension'],
      timeGroup: 'percentile',
      timeGroupOptions: '95',
      nonZero: true,
    });
    if (!q.ok) {
      throw new Error(q.error);
    }
    const text = cloudRejectionText('A', q.value, 'Bad Request, ErrBadRequest');
    expect(text).toMatch(/^Query A: Netdata Cloud refused this query \(HTTP 400: Bad Request, ErrBadRequest\)\./);
    expect(text).toContain(
      'aggregation extremes, group by node+dimension, time group percentile (95), options nonzero'
    );
    expect(text).toContain('extremes only from agents v2.6+');
    expect(text).toContain('node ids (not names)');
  });
});
