import { parseAgentInfo } from './catalog';
import { nodeTotalsFromInfo, nodeTotalsFromList, nodeTotalsText } from './nodeTotals';

function info2x(total: number, archived: number): unknown {
  return {
    api: 2,
    agents: [
      {
        mg: 'm',
        nm: 'parent',
        application: { package: { version: 'v2.9.0' } },
        nodes: { total, receiving: total - archived - 1, sending: 0, archived },
        api: { version: 7, bearer_protection: false },
      },
    ],
  };
}

describe('node totals', () => {
  it('leaves archived nodes out of a ≥ v2.0 count and names them', () => {
    const info = parseAgentInfo(info2x(4, 1));
    expect(info.ok && nodeTotalsText(nodeTotalsFromInfo(info.value)!)).toBe('3 nodes (1 archived)');
    const none = parseAgentInfo(info2x(1, 0));
    expect(none.ok && nodeTotalsText(nodeTotalsFromInfo(none.value)!)).toBe('1 node');
  });

  it('has no count from v1.41–v1.47 info and counts their node list, stale nodes apart', () => {
    const old = parseAgentInfo({
      api: 2,
      agents: [{ mg: 'm', nm: 'p', application: { package: { version: 'v1.47.5' } } }],
    });
    expect(old.ok && nodeTotalsFromInfo(old.value)).toBeUndefined();
    const list = [
      { id: 'a', machineGuid: 'a', hostname: 'parent', state: 'reachable' },
      { id: 'b', machineGuid: 'b', hostname: 'child1', state: 'reachable' },
      { id: 'c', machineGuid: 'c', hostname: 'child2', state: 'stale' },
    ];
    expect(nodeTotalsText(nodeTotalsFromList(list))).toBe('2 nodes (1 stale)');
  });
});
