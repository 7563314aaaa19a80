import {
  alertTransitionsFrame,
  buildAgentAlertTransitionsRequest,
  buildCloudAlertTransitionsRequest,
  parseAlertQuery,
  parseAlertTransitions,
} from './alertTransitions';
import type { AlertQueryModel, QueryWindow } from './types';

// netdata-api.md §8.6
const SPEC_8_6 = {
  api: 2,
  facets: [{ id: 'f_status', name: 'Alert Status', order: 1, options: [{ id: 'WARNING', name: 'WARNING', count: 1 }] }],
  transitions: [
    {
      gi: 1717170000123456,
      alert: 'ram_in_use',
      transition_id: '9b2f0c8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
      machine_guid: '6fc56a64-05d7-47a7-bc82-7f3235d8cbda',
      node_id: 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d',
      config_hash_id: '1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d',
      hostname: 'web01',
      instance: 'system.ram',
      instance_n: 'system.ram',
      context: 'system.ram',
      component: 'Memory',
      classification: 'Utilization',
      type: 'System',
      when: 1717170000,
      info: 'Percentage of used RAM',
      summary: 'System memory utilization',
      units: '%',
      new: { status: 'WARNING', value: 81.2 },
      old: { status: 'CLEAR', value: 74.9, duration: 5400, raised_duration: 0 },
      notification: { when: 1717170001, delay: 0, flags: [], exec: 'alarm-notify.sh', exec_code: 0, to: 'sysadmin' },
    },
  ],
  items: { evaluated: 2, matched: 1, returned: 1, max_to_return: 100, before: 0, after: 0 },
  timings: { routing_ms: 0, node_max_ms: 0, total_ms: 2.1 },
};

const W: QueryWindow = { fromMs: 1717160000500, toMs: 1717173600200, maxDataPoints: 100, intervalMs: 1000 };
const NODE_ID = 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d';

function model(raw: unknown): AlertQueryModel {
  const r = parseAlertQuery(raw);
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

describe('parseAlertQuery', () => {
  it('defaults to CRITICAL and WARNING, every node, no context or alert', () => {
    expect(model({ queryType: 'alertTransitions', refId: 'A' })).toEqual({
      nodes: [],
      alertStatuses: ['CRITICAL', 'WARNING'],
    });
  });

  it('keeps exact names trimmed, normalises statuses and drops duplicates', () => {
    expect(
      model({
        nodes: ['web*', ' db01 '],
        context: ' system.ram ',
        alert: 'ram_in_use',
        alertStatuses: ['clear', 'CLEAR'],
      })
    ).toEqual({ nodes: ['web*', 'db01'], context: 'system.ram', alert: 'ram_in_use', alertStatuses: ['CLEAR'] });
  });

  it.each([
    [{ alertStatuses: ['RAISED'] }, 'query.alertStatuses[0] must be one of CRITICAL, WARNING, CLEAR'],
    [{ alertStatuses: 'CLEAR' }, 'query.alertStatuses must be an array'],
    [{ context: 3 }, 'query.context must be a string'],
    [{ alert: 'a&b' }, "query.alert contains '&'"],
    [{ context: 'a\tb' }, 'query.context must not contain control characters'],
    [{ nodes: [1] }, 'query.nodes must be an array of strings'],
  ])('refuses %j', (raw, message) => {
    const r = parseAlertQuery(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });
});

describe('buildAgentAlertTransitionsRequest', () => {
  it('sends absolute seconds covering the range, last=1000 and the filters', () => {
    const req = buildAgentAlertTransitionsRequest(
      model({ nodes: ['web*', 'db01'], context: 'system.ram', alert: 'ram in use' }),
      W,
      3
    );
    expect(req.method).toBe('GET');
    const [path, query] = req.path.split('?');
    expect(path).toBe('/api/v3/alert_transitions');
    const params = new URLSearchParams(query);
    expect(Object.fromEntries(params)).toEqual({
      after: '1717160000',
      before: '1717173601',
      last: '1000',
      f_status: 'CRITICAL|WARNING',
      context: 'system.ram',
      alert: 'ram in use',
      scope_nodes: 'web*|db01',
    });
  });

  it('uses /api/v2 on older agents and leaves out absent filters', () => {
    const req = buildAgentAlertTransitionsRequest(model({}), W, 2);
    expect(req.path).toBe(
      '/api/v2/alert_transitions?after=1717160000&before=1717173601&last=1000&f_status=CRITICAL%7CWARNING'
    );
  });

  it('refuses a range that Netdata would read as relative', () => {
    expect(() => buildAgentAlertTransitionsRequest(model({}), { ...W, fromMs: 1000, toMs: 5000 })).toThrow(/1973/);
  });
});

describe('buildCloudAlertTransitionsRequest', () => {
  const target = { spaceId: 'space-1', roomId: 'room-1' };

  it('posts the §6.4 body to the room', () => {
    const req = buildCloudAlertTransitionsRequest(
      model({
        nodes: [NODE_ID],
        context: 'system.ram',
        alert: 'ram_in_use',
        alertStatuses: ['CRITICAL'],
        roomId: 'room-2',
      }),
      W,
      target
    );
    expect(req).toEqual({
      method: 'POST',
      path: '/api/v2/spaces/space-1/rooms/room-2/alert_transitions',
      body: {
        after: 1717160000,
        before: 1717173601,
        status: ['CRITICAL'],
        last: 1000,
        node_ids: [NODE_ID],
        alert_names: ['ram_in_use'],
        context: ['system.ram'],
      },
    });
  });

  it('omits node_ids for every node and refuses node names it cannot express', () => {
    expect(buildCloudAlertTransitionsRequest(model({}), W, target).body.node_ids).toBeUndefined();
    expect(() => buildCloudAlertTransitionsRequest(model({ nodes: ['web01'] }), W, target)).toThrow(/node id/);
    expect(() => buildCloudAlertTransitionsRequest(model({}), W, { spaceId: '', roomId: 'r' })).toThrow(/space/);
  });
});

describe('parseAlertTransitions', () => {
  it('reads the §8.6 example', () => {
    const r = parseAlertTransitions(SPEC_8_6);
    expect(r).toEqual({
      ok: true,
      value: [
        {
          alert: 'ram_in_use',
          when: 1717170000,
          transitionId: '9b2f0c8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
          machineGuid: '6fc56a64-05d7-47a7-bc82-7f3235d8cbda',
          nodeId: NODE_ID,
          hostname: 'web01',
          instance: 'system.ram',
          instanceName: 'system.ram',
          context: 'system.ram',
          component: 'Memory',
          classification: 'Utilization',
          type: 'System',
          info: 'Percentage of used RAM',
          summary: 'System memory utilization',
          units: '%',
          newStatus: 'WARNING',
          newValue: 81.2,
          oldStatus: 'CLEAR',
          oldValue: 74.9,
        },
      ],
    });
  });

  it('tolerates missing optional keys, skips unusable entries and treats no transitions as none', () => {
    const r = parseAlertTransitions({ transitions: [{ alert: 'x', when: 5 }, { alert: 'y' }, 'junk', null] });
    expect(r).toEqual({
      ok: true,
      value: [{ alert: 'x', when: 5, newStatus: 'UNKNOWN', newValue: null, oldStatus: 'UNKNOWN', oldValue: null }],
    });
    expect(parseAlertTransitions({ api: 2 })).toEqual({ ok: true, value: [] });
    expect(parseAlertTransitions({ transitions: {} }).ok).toBe(false);
    expect(parseAlertTransitions('nope').ok).toBe(false);
  });
});

describe('alertTransitionsFrame', () => {
  it('makes one annotation row per transition, oldest first, with Grafana’s annotation field names', () => {
    const parsed = parseAlertTransitions(SPEC_8_6);
    const t = parsed.ok ? parsed.value[0] : undefined;
    const older = {
      ...t!,
      when: 1717160000,
      newStatus: 'CLEAR',
      oldStatus: 'WARNING',
      newValue: null,
      component: 'a,b',
    };
    const frame = alertTransitionsFrame([t!, older], 'Anno', 'GET /x');
    expect(frame.refId).toBe('Anno');
    expect(frame.meta).toEqual({ executedQueryString: 'GET /x' });
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', 'time'],
      ['title', 'string'],
      ['text', 'string'],
      ['tags', 'string'],
    ]);
    expect(frame.fields[0].values).toEqual([1717160000000, 1717170000000]);
    expect(frame.fields[1].values).toEqual(['ram_in_use CLEAR', 'ram_in_use WARNING']);
    expect(frame.fields[2].values[1]).toBe(
      'ram_in_use on web01 system.ram: CLEAR → WARNING (value 81.2 %) — System memory utilization'
    );
    expect(frame.fields[2].values[0]).toBe(
      'ram_in_use on web01 system.ram: WARNING → CLEAR — System memory utilization'
    );
    expect(frame.fields[3].values).toEqual([
      'CLEAR,ram_in_use,web01,system.ram,a b',
      'WARNING,ram_in_use,web01,system.ram,Memory',
    ]);
  });

  it('is an empty annotation frame without transitions', () => {
    const frame = alertTransitionsFrame([], 'A', '');
    expect(frame.fields.every((f) => f.values.length === 0)).toBe(true);
  });
});
