import {
  functionFailure,
  functionPath,
  functionTableFrame,
  parseFunctionQuery,
  parseFunctionsList,
  parseFunctionTable,
  SIGN_IN_HINT,
} from './functions';

// The example of netdata-api-extra.md §5.3 with the omitted columns filled in.
const MOUNT_POINTS = {
  hostname: 'web1',
  status: 200,
  type: 'table',
  update_every: 1,
  has_history: false,
  help: 'Displays filesystem mount points with space utilization, available capacity, and inode usage statistics.',
  data: [
    ['/', 'ext4', '/', 41.2, 58.1],
    ['/data', 'xfs', '/', 12.5, 80],
  ],
  columns: {
    'Used%': {
      index: 3,
      unique_key: false,
      name: 'Space Utilization',
      visible: true,
      type: 'bar-with-integer',
      units: '%',
      visualization: 'bar',
      value_options: { units: '%', transform: 'number', decimal_points: 2, default_value: null },
      max: 41.2,
      sort: 'descending',
      sortable: true,
      sticky: false,
      summary: 'sum',
      filter: 'none',
    },
    Mountpoint: {
      index: 0,
      unique_key: true,
      name: 'Mountpoint Name',
      visible: true,
      type: 'string',
      visualization: 'value',
      value_options: { transform: 'none', decimal_points: 0, default_value: null },
      sort: 'ascending',
      sortable: true,
      sticky: true,
      summary: 'count',
      filter: 'multiselect',
    },
    Filesystem: { index: 1, name: 'Filesystem Type', visible: true, type: 'string', filter: 'multiselect' },
    Root: { index: 2, name: 'Mount Root', visible: false, type: 'string' },
    Avail: {
      index: 4,
      name: 'Space Available',
      type: 'bar-with-integer',
      units: 'GiB',
      value_options: { decimal_points: 2 },
    },
  },
  default_sort_column: 'Used%',
};

describe('function tables', () => {
  it('become a table frame: Netdata column order, names, types, units, visibility and default sort', () => {
    const table = parseFunctionTable(MOUNT_POINTS);
    expect(table.ok).toBe(true);
    if (!table.ok) {
      return;
    }
    const frame = functionTableFrame(table.value, 'A', 'mount-points', '/api/v3/function?function=mount-points');
    expect(frame.meta).toMatchObject({
      type: 'table',
      preferredVisualisationType: 'table',
      custom: { help: MOUNT_POINTS.help },
    });
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['Mountpoint', 'string'],
      ['Filesystem', 'string'],
      ['Root', 'string'],
      ['Used%', 'number'],
      ['Avail', 'number'],
    ]);
    // Sorted by Used% descending.
    expect(frame.fields[0].values).toEqual(['/', '/data']);
    expect(frame.fields[3].values).toEqual([41.2, 12.5]);
    expect(frame.fields[0].config).toEqual({ displayNameFromDS: 'Mountpoint Name', custom: { filterable: true } });
    expect(frame.fields[2].config?.custom).toEqual({ hidden: true });
    expect(frame.fields[3].config).toEqual({
      displayNameFromDS: 'Space Utilization',
      unit: 'percent',
      decimals: 2,
      min: 0,
      max: 41.2,
      custom: { cellOptions: { type: 'gauge', mode: 'basic' } },
    });
    expect(frame.fields[4].config?.unit).toBe('gbytes');
  });

  it('read timestamps (ms and µs), durations and leave dummy columns out', () => {
    const table = parseFunctionTable({
      type: 'table',
      data: [[1_700_000_000_000, 1_700_000_000_000_000, 3600, { severity: 'normal' }, ['a', 'b']]],
      columns: {
        Started: { index: 0, type: 'timestamp', value_options: { transform: 'datetime' } },
        Seen: { index: 1, type: 'timestamp', value_options: { transform: 'datetime_usec' } },
        Uptime: { index: 2, type: 'duration', value_options: { transform: 'duration' } },
        rowOptions: { index: 3, type: 'none', dummy: true, visible: false },
        Tags: { index: 4, type: 'array' },
      },
    });
    expect(table.ok).toBe(true);
    if (!table.ok) {
      return;
    }
    const frame = functionTableFrame(table.value, 'A', 'x', '');
    expect(frame.fields.map((f) => [f.name, f.values[0], f.config?.unit])).toEqual([
      ['Started', 1_700_000_000_000, 'dateTimeAsIso'],
      ['Seen', 1_700_000_000_000, 'dateTimeAsIso'],
      ['Uptime', 3600, 's'],
      ['Tags', 'a, b', undefined],
    ]);
  });

  it('refuse answers that are not the documented table shape', () => {
    expect(parseFunctionTable({ type: 'table', data: [] })).toEqual({
      ok: false,
      error: 'the function answer has no "columns" object',
    });
    expect(parseFunctionTable({ type: 'logs' })).toEqual({
      ok: false,
      error: 'the function answered type "logs", not a table',
    });
    expect(parseFunctionTable({ type: 'table', columns: { a: { type: 'string' } }, data: [] })).toEqual({
      ok: false,
      error: 'column "a" has no valid index',
    });
    expect(parseFunctionTable({ type: 'table', columns: {}, data: [1] })).toEqual({
      ok: false,
      error: 'row 0 of the function answer is not an array',
    });
  });
});

describe('function lists', () => {
  it('reads the v1 shape and the v3 shape, honouring the node through ni', () => {
    const v1 = parseFunctionsList({
      functions: {
        processes: { help: 'p', access: ['signed-in', 'sensitive-data'], priority: 1 },
        'mount-points': { access: ['anonymous-data'], priority: 5 },
      },
    });
    expect(v1.ok && v1.value.map((f) => [f.name, f.needsSignIn])).toEqual([
      ['processes', true],
      ['mount-points', false],
    ]);
    const v3 = {
      nodes: [
        { mg: 'aaa', nm: 'parent01', ni: 0 },
        { mg: 'bbb', nm: 'child01', ni: 1 },
      ],
      functions: [
        { name: 'processes', ni: [0], priority: 1, access: ['signed-in'] },
        { name: 'mount-points', ni: [0, 1], priority: 2, access: ['anonymous-data'] },
      ],
    };
    const child = parseFunctionsList(v3, 'child01');
    expect(child.ok && child.value.map((f) => f.name)).toEqual(['mount-points']);
    const byGuid = parseFunctionsList(v3, 'aaa');
    expect(byGuid.ok && byGuid.value.map((f) => f.name)).toEqual(['processes', 'mount-points']);
    expect(parseFunctionsList(v3, 'nobody')).toEqual({ ok: true, value: [] });
    expect(parseFunctionsList({})).toEqual({ ok: false, error: 'the functions answer has no "functions" list' });
  });
});

describe('function requests', () => {
  it('route to the node with /host/ and pick v3 or the v1 form', () => {
    const q = { function: 'processes', args: 'info', node: 'child01' };
    expect(functionPath(q, 3, 9.5)).toBe('/host/child01/api/v3/function?function=processes%20info&timeout=9');
    expect(functionPath({ function: 'mount-points' }, 2, 30)).toBe('/api/v1/function?function=mount-points&timeout=30');
  });

  it('validate the saved query', () => {
    expect(parseFunctionQuery({ function: ' mount-points ', args: ' a  b ', node: '' })).toEqual({
      ok: true,
      value: { function: 'mount-points', args: 'a b' },
    });
    expect(parseFunctionQuery({})).toMatchObject({ ok: false, error: expect.stringMatching(/function is required/) });
    expect(parseFunctionQuery({ function: 'a/b' })).toMatchObject({ ok: false });
    expect(parseFunctionQuery({ function: 'x', node: '../etc' })).toMatchObject({ ok: false });
    expect(parseFunctionQuery({ function: 'x', args: 'a\u0000' })).toMatchObject({ ok: false });
  });

  it('say which token works when Netdata wants a signed-in user', () => {
    const text = functionFailure('processes', 412, 'You need to be authenticated via Netdata Cloud SSO');
    expect(text).toBe(
      `Netdata refused the function processes to this data source's anonymous access (HTTP 412). ${SIGN_IN_HINT} ` +
        '(Netdata said: You need to be authenticated via Netdata Cloud SSO)'
    );
    expect(SIGN_IN_HINT).toMatch(/bearer token of a claimed agent/);
    expect(SIGN_IN_HINT).toMatch(/Netdata Cloud/);
  });
});
