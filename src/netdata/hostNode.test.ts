import { findHostNode, scopePathToNode, splitHostPrefix } from './hostNode';

const child = { hostname: 'child01', machineGuid: '7d3c2b1a-9e8f-4a6b-b5c4-d3e2f1a0b902' };
const parent = { hostname: 'parent01', machineGuid: '0f8e6a8c-1b2d-4c3e-9f40-5a6b7c8d9e01', nodeId: 'nd-1' };

describe('splitHostPrefix', () => {
  it('takes a trailing /host/<node> off the path', () => {
    expect(splitHostPrefix('/netdata/host/child01/')).toEqual({
      ok: true,
      value: { path: '/netdata', node: 'child01' },
    });
    expect(splitHostPrefix('/netdata')).toEqual({ ok: true, value: { path: '/netdata' } });
  });
  it('refuses nested hosts', () => {
    expect(splitHostPrefix('/host/a/host/b').ok).toBe(false);
  });
});

describe('findHostNode', () => {
  it('looks up by machine GUID, node id, then hostname', () => {
    expect(findHostNode([child, parent], 'nd-1')).toBe(parent);
    expect(findHostNode([child, parent], 'child01')).toBe(child);
    expect(findHostNode([child, parent], child.machineGuid.toUpperCase())).toBe(child);
    expect(findHostNode([child, parent], 'web9')).toBeUndefined();
  });
});

describe('scopePathToNode', () => {
  it('adds scope_nodes=<machine GUID> to v2/v3 data and metadata paths, idempotently', () => {
    const scoped = scopePathToNode('/api/v3/data?scope_contexts=system.cpu', child);
    expect(scoped).toBe(`/api/v3/data?scope_contexts=system.cpu&scope_nodes=${child.machineGuid}`);
    expect(scopePathToNode(scoped, child)).toBe(scoped);
  });
  it('keeps a node filter that includes the node, refuses one that does not', () => {
    expect(scopePathToNode('/api/v2/contexts?scope_nodes=child*', child)).toBe(
      `/api/v2/contexts?scope_nodes=${child.machineGuid}`
    );
    expect(() => scopePathToNode('/api/v2/contexts?scope_nodes=parent01', child)).toThrow(
      /limited to the node child01/
    );
  });
  it('prefixes v1 and the v3 function call, whose /host/ Netdata honours', () => {
    expect(scopePathToNode('/api/v3/function?function=processes', child)).toBe(
      `/host/${child.machineGuid}/api/v3/function?function=processes`
    );
    expect(() => scopePathToNode('/host/parent01/api/v3/function?function=processes', child)).toThrow();
  });
  it('leaves agent-wide info alone', () => {
    expect(scopePathToNode('/api/v3/info', child)).toBe('/api/v3/info');
  });
});
