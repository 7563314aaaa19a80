/** @jest-environment node */
import { compileLabelSelector, compileSimplePattern } from './patterns';
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import { getJson2 } from './testHttp';

const CPU_DIMS = ['guest', 'softirq', 'user', 'system', 'nice', 'iowait', 'idle'];

function selected(pattern: string, candidates = CPU_DIMS): string[] {
  const p = compileSimplePattern(pattern);
  return candidates.filter((c) => !p || p.matches(c));
}

describe('§2.2 simple patterns (pure)', () => {
  it('splits on , and | but not on spaces, first match wins', () => {
    expect(selected('user|system')).toEqual(['user', 'system']);
    expect(selected('user,system')).toEqual(['user', 'system']);
    expect(selected('!user,*')).toEqual(CPU_DIMS.filter((d) => d !== 'user'));
    expect(selected('s*,!system')).toEqual(['softirq', 'system']);
    expect(selected('!system,s*')).toEqual(['softirq']);
    expect(selected('User')).toEqual([]);
    expect(selected('USER')).toEqual([]);
  });

  it('keeps spaces literal', () => {
    expect(selected('user system')).toEqual([]);
    expect(selected('user |system')).toEqual(['system']);
    expect(selected('reserved for root', ['reserved for root', 'root'])).toEqual(['reserved for root']);
  });

  it('treats empty and * as no filter, and a list of only negatives as selecting nothing', () => {
    expect(compileSimplePattern('')).toBeUndefined();
    expect(compileSimplePattern('*')).toBeUndefined();
    expect(selected('!user')).toEqual([]);
    expect(selected('!db*,*', ['db01', 'web01', 'dbx'])).toEqual(['web01']);
    expect(selected('*e*')).toEqual(CPU_DIMS.filter((d) => d.includes('e')));
  });
});

describe('netdata-api-extra.md §8.3 escapes (pure, simple_pattern.c)', () => {
  it('reads \\, \\| and \\\\ literally and a leading \\! as a literal !', () => {
    expect(selected('eth0\\|1', ['eth0', '1', 'eth0|1'])).toEqual(['eth0|1']);
    expect(selected('eth0|1', ['eth0', '1', 'eth0|1'])).toEqual(['eth0', '1']);
    expect(selected('a\\,b', ['a', 'b', 'a,b'])).toEqual(['a,b']);
    expect(selected('C:\\\\', ['C:\\', 'C:'])).toEqual(['C:\\']);
    expect(selected('\\!x', ['!x', 'x'])).toEqual(['!x']);
    expect(selected('!\\!x,*', ['!x', 'x'])).toEqual(['x']);
  });

  it('keeps an escaped * a wildcard', () => {
    expect(selected('a\\*', ['a*', 'abc'])).toEqual(['a*', 'abc']);
  });
});

describe('§2.7 label selectors (pure)', () => {
  const vda = { device: 'vda', device_type: 'physical', mount_point: '/' };
  const zram = { device: 'zram0', device_type: 'virtual' };
  const pick = (text: string): string[] => {
    const s = compileLabelSelector(text);
    return [vda, zram].filter((l) => !s || s.matches(l)).map((l) => l.device);
  };

  it('ORs items of one key and ANDs different keys', () => {
    expect(pick('device:vda|device:zram0')).toEqual(['vda', 'zram0']);
    expect(pick('device:vda|device_type:virtual')).toEqual([]);
    expect(pick('mount_point:/|device_type:physical')).toEqual(['vda']);
  });

  it('takes * literally and drops a leading !', () => {
    expect(pick('device:v*')).toEqual([]);
    expect(pick('device:*')).toEqual([]);
    expect(pick('!device:vda')).toEqual(['vda']);
    expect(pick('!device:vda,*')).toEqual(['vda']);
  });

  it('stops at the first item without a colon', () => {
    expect(pick('foo|device:vda')).toEqual(['vda', 'zram0']);
    expect(pick('device:vda|foo')).toEqual(['vda']);
    expect(pick('device=vda')).toEqual(['vda', 'zram0']);
    expect(compileLabelSelector('*')).toBeUndefined();
    expect(pick('Device:vda')).toEqual([]);
  });
});

describe('netdata-api-extra.md §8.3/§8.4 labels with pattern characters, by version (pure)', () => {
  const plain = { device: 'eth0', interface_type: 'real' };
  const odd = { device: 'eth0|1', interface_type: 'virtual' };
  const pick = (text: string, matching: 'per-key' | 'any-label'): string[] => {
    const s = compileLabelSelector(text, matching);
    return [plain, odd].filter((l) => !s || s.matches(l)).map((l) => l.device);
  };

  it('v1.45+: each item is parsed twice, so only a twice-escaped | is literal', () => {
    // Escaped once, the second parse splits it into `device:eth0` and `1`.
    expect(pick('device:eth0\\|1', 'per-key')).toEqual(['eth0']);
    expect(pick('device:eth0\\\\\\|1', 'per-key')).toEqual(['eth0|1']);
  });

  it('before v1.45: one pattern over every label, escaped once; keys OR-ed, wildcards work', () => {
    expect(pick('device:eth0\\|1', 'any-label')).toEqual(['eth0|1']);
    expect(pick('device:eth0|interface_type:virtual', 'any-label')).toEqual(['eth0', 'eth0|1']);
    expect(pick('device:eth0*', 'any-label')).toEqual(['eth0', 'eth0|1']);
    // `!` only keeps that one label from counting: the other labels still match `*`.
    expect(pick('!device:eth0,*', 'any-label')).toEqual(['eth0', 'eth0|1']);
  });
});

describe('patterns through the server', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(() => fake.close());

  const ids = async (query: string): Promise<string[]> => {
    const doc = await getJson2(`${fake.url}/api/v3/data?after=-10&points=1&format=json2&${query}`);
    return doc.result.labels.slice(1);
  };

  it('selects dimensions per §2.2, hidden ones only when a pattern names them', async () => {
    const cpu = 'scope_contexts=system.cpu&scope_nodes=parent01';
    expect(await ids(`${cpu}`)).toEqual(['guest', 'softirq', 'user', 'system', 'nice', 'iowait']);
    expect(await ids(`${cpu}&dimensions=*`)).toEqual(['guest', 'softirq', 'user', 'system', 'nice', 'iowait']);
    expect(await ids(`${cpu}&dimensions=user|system`)).toEqual(['user', 'system']);
    expect(await ids(`${cpu}&dimensions=!user,*`)).toEqual(['guest', 'softirq', 'system', 'nice', 'iowait', 'idle']);
    expect(await ids(`${cpu}&dimensions=s*,!system`)).toEqual(['softirq', 'system']);
    expect(await ids(`${cpu}&dimensions=!system,s*`)).toEqual(['softirq']);
    expect(await ids(`${cpu}&dimensions=User`)).toEqual([]);
    expect(await ids(`${cpu}&dimensions=user+system`)).toEqual([]);
    expect(await ids(`${cpu}&dimensions=user%20|system`)).toEqual(['system']);
    expect(await ids(`${cpu}&dimensions=!user`)).toEqual([]);
  });

  it('matches dimension ids and names unless match-ids / match-names restrict it', async () => {
    const net = 'scope_contexts=net.net&scope_nodes=parent01';
    expect(await ids(`${net}&dimensions=InOctets`)).toEqual(['received']);
    expect(await ids(`${net}&dimensions=received`)).toEqual(['received']);
    expect(await ids(`${net}&dimensions=received&options=match-ids`)).toEqual([]);
    expect(await ids(`${net}&dimensions=InOctets&options=match-names`)).toEqual([]);
    expect(await ids(`${net}&dimensions=InOctets&options=match-ids`)).toEqual(['received']);
    // A negative match on either name excludes, although the other name matches `*`.
    expect(await ids(`${net}&dimensions=!received,*`)).toEqual(['sent']);
  });

  it('matches nodes by hostname, machine guid and (claimed) node id, case-sensitively', async () => {
    const [parent, child] = fake.nodes;
    const byNode = (nodes: string): Promise<string[]> =>
      ids(`scope_contexts=system.load&group_by=node&scope_nodes=${nodes}`);
    expect(await byNode('parent01')).toEqual([parent.mg]);
    expect(await byNode('child*')).toEqual([child.mg]);
    expect(await byNode(child.mg)).toEqual([child.mg]);
    expect(await byNode(parent.nd ?? 'none')).toEqual([parent.mg]);
    expect(await byNode('PARENT01')).toEqual([]);
    expect(await byNode('!parent01,*')).toEqual([child.mg]);
  });

  it('applies the §2.7 label semantics to instances', async () => {
    const [parent, child] = fake.nodes;
    const disks = (labels: string): Promise<string[]> =>
      ids(`scope_contexts=disk.io&group_by=instance&labels=${encodeURIComponent(labels)}`);
    const all = [`disk.vda@${parent.mg}`, `disk.sda@${parent.mg}`, `disk.vda@${child.mg}`];
    expect(await disks('device:vda|device:sda')).toEqual(all);
    expect(await disks('device:vda|device_type:physical')).toEqual([`disk.vda@${parent.mg}`]);
    expect(await disks('device:sda|device_type:virtual')).toEqual([]);
    expect(await disks('mount_point:/|mount_point:/data')).toEqual([`disk.vda@${parent.mg}`, `disk.sda@${parent.mg}`]);
    expect(await disks('device:v*')).toEqual([]);
    expect(await disks('!device:vda')).toEqual([`disk.vda@${parent.mg}`, `disk.vda@${child.mg}`]);
    expect(await disks('foo|device:sda')).toEqual(all);
    expect(await disks('device:sda|foo')).toEqual([`disk.sda@${parent.mg}`]);
    expect(await disks('device=vda')).toEqual(all);
  });

  it('selects instances by id, id@machine_guid and name@hostname', async () => {
    const [parent, child] = fake.nodes;
    const inst = (pattern: string): Promise<string[]> =>
      ids(`scope_contexts=disk.io&group_by=instance&instances=${encodeURIComponent(pattern)}`);
    expect(await inst('disk.vda')).toEqual([`disk.vda@${parent.mg}`, `disk.vda@${child.mg}`]);
    expect(await inst(`disk.vda@${child.mg}`)).toEqual([`disk.vda@${child.mg}`]);
    expect(await inst('disk.sda@parent01')).toEqual([`disk.sda@${parent.mg}`]);
  });
});
