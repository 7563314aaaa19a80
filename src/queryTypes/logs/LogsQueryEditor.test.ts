import { filtersText, parseFiltersText } from './LogsQueryEditor';

describe('logs filter text', () => {
  it('round-trips facet selections', () => {
    const filters = { PRIORITY: ['3', '4'], _SYSTEMD_UNIT: ['nginx.service'] };
    expect(filtersText(filters)).toBe('PRIORITY=3|4, _SYSTEMD_UNIT=nginx.service');
    expect(parseFiltersText(filtersText(filters))).toEqual(filters);
    expect(parseFiltersText('=x, A=, B = b1 | ')).toEqual({ B: ['b1'] });
  });
});
