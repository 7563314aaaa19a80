/** @jest-environment node */
import { DATA_FIXTURES, loadFixture } from '../../tests/fixtures';
import { parseJson2 } from './json2';
import type { Json2Response } from './types';

function ok(body: unknown): Json2Response {
  const r = parseJson2(body);
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

function err(body: unknown): string {
  const r = parseJson2(body);
  if (r.ok) {
    throw new Error('expected an error');
  }
  return r.error;
}

type Raw = {
  api: number;
  result: { labels: string[]; data: unknown[][] };
  view: { dimensions: { ids: string[]; names: string[] }; units?: unknown };
};

describe('parseJson2 on the captured Netdata 2.9 responses', () => {
  it('has all the data captures', () => {
    expect(DATA_FIXTURES.length).toBe(17);
  });

  it.each(DATA_FIXTURES)('%s', (name) => {
    const raw = loadFixture(name) as Raw;
    const resp = ok(raw);
    expect(resp.api).toBe(raw.api);
    expect(resp.result.labels).toEqual(raw.result.labels);
    expect(resp.result.data).toEqual(raw.result.data);
    expect(resp.view.dimensions.ids).toEqual(raw.view.dimensions.ids);
    expect(resp.view.dimensions.names).toEqual(raw.view.dimensions.names);
    expect(resp.view.dimensions.ids.length).toBe(resp.result.labels.length - 1);
    expect(resp.result.point).toEqual({ value: 0, arp: 1, pa: 2 });
    expect(
      resp.summary?.nodes?.every((n) => n.mg === '7622017c-d2f5-4112-8149-5e13e2ef7ff1' && n.nm === 'nd290-local')
    ).toBe(true);
  });

  it('normalises long JSON keys', () => {
    const resp = ok(loadFixture('v2_data_long_keys.json'));
    expect(resp.result.point).toEqual({ value: 0, arp: 1, pa: 2 });
    expect(resp.summary?.nodes).toEqual([
      { mg: '7622017c-d2f5-4112-8149-5e13e2ef7ff1', nm: 'nd290-local', ni: 0, st: { ai: 0, code: 200, msg: '' } },
    ]);
  });

  it('reads view.units as a string or an array', () => {
    expect(ok(loadFixture('v2_data_system_cpu_json2.json')).view.units).toBe('percentage');
    expect(ok(loadFixture('v2_data_multi_context.json')).view.units).toEqual(['percentage', 'load']);
  });

  it('accepts the unknown-context answer with its missing keys', () => {
    const resp = ok(loadFixture('err_v2_data_unknown_context.json'));
    expect(resp.view.dimensions.ids).toEqual([]);
    expect(resp.result.data).toEqual([]);
    expect(resp.view.units).toBeUndefined();
    expect(resp.view.min).toBeNull();
    expect(resp.summary?.nodes).toEqual([]);
  });

  it('accepts the JSON text too', () => {
    const text = JSON.stringify(loadFixture('v2_data_reversed.json'));
    expect(ok(text).result.labels).toEqual(['time', 'load1', 'load5', 'load15']);
    expect(err('{nope')).toBe('Netdata response is not valid JSON');
  });
});

describe('parseJson2 errors', () => {
  const good = () => JSON.parse(JSON.stringify(loadFixture('v2_data_reversed.json'))) as Record<string, any>;

  it.each([
    [null, 'Netdata response is not a JSON object'],
    [[], 'Netdata response is not a JSON object'],
    [{}, 'Netdata response has no result object'],
    [{ api: 1, result: 'x', dimension_names: [] }, 'Netdata answered in the v1 data format, not json2'],
  ])('%p', (body, message) => {
    expect(err(body)).toBe(message);
  });

  it('names the missing or broken part', () => {
    const noData = good();
    delete noData.result.data;
    expect(err(noData)).toBe('Netdata response has no result.data array');

    const badLabels = good();
    badLabels.result.labels = ['time', 3];
    expect(err(badLabels)).toBe('Netdata response has no result.labels array of strings');

    const badRow = good();
    badRow.result.data[2] = 'x';
    expect(err(badRow)).toBe('Netdata response row 2 of result.data is not an array');

    const noTime = good();
    noTime.result.data[0][0] = null;
    expect(err(noTime)).toBe('Netdata response row 0 of result.data has no timestamp');

    const noView = good();
    delete noView.view;
    expect(err(noView)).toBe('Netdata response has no view object');

    const noIds = good();
    delete noIds.view.dimensions.ids;
    expect(err(noIds)).toBe('Netdata response has no view.dimensions.ids array of strings');

    const mismatch = good();
    mismatch.view.dimensions.ids.pop();
    expect(err(mismatch)).toBe(
      'Netdata response is inconsistent: result.labels names 3 series but view.dimensions.ids has 2'
    );
  });

  it('drops per-dimension arrays that do not match the series instead of mislabelling', () => {
    const body = good();
    body.view.dimensions.names = ['only one'];
    body.view.dimensions.units = 'load';
    const resp = ok(body);
    expect(resp.view.dimensions.names).toBeUndefined();
    expect(resp.view.dimensions.units).toBeUndefined();
  });

  it('tolerates a missing point map and summary', () => {
    const body = good();
    delete body.result.point;
    delete body.summary;
    const resp = ok(body);
    expect(resp.result.point).toBeUndefined();
    expect(resp.summary).toBeUndefined();
  });
});
