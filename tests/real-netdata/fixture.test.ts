/** @jest-environment node */
// The real Netdata fixture is what the integration tests assume: a 1.37.1 Parent with a streaming child.
import { describeReal, get, getJson } from './realNetdata';

interface Info {
  version: string;
  uid: string;
  mirrored_hosts: string[];
  mirrored_hosts_status: Array<{ guid: string; hostname: string; reachable: boolean; hops: number }>;
}
interface Charts {
  hostname: string;
  version: string;
  charts: Record<string, { context: string; dimensions: Record<string, { name: string }> }>;
}
interface AlarmLogEntry {
  hostname: string;
  unique_id: number;
  name: string;
  chart: string;
  context: string;
  status: string;
  old_status: string;
  when: number;
}
interface Jsonwrap {
  first_entry: number;
  last_entry: number;
  result: { labels: string[]; data: Array<Array<number | null>> };
}

describeReal('the real Netdata 1.37.1 fixture', (real) => {
  it('is Netdata v1.37.1, a Parent mirroring itself and the child (hops 0 and 1)', async () => {
    const { url, parent, child } = real();
    const info = await getJson<Info>(url, '/api/v1/info');
    expect(info.version).toBe('v1.37.1');
    expect(info.mirrored_hosts).toEqual([parent, child]);
    expect(info.mirrored_hosts_status.map((h) => [h.hostname, h.hops, h.reachable])).toEqual([
      [parent, 0, true],
      [child, 1, true],
    ]);
    expect(info.mirrored_hosts_status[0].guid).toBe(info.uid);
    expect(info.mirrored_hosts_status[1].guid).not.toBe(info.uid);
  });

  it('serves the child through /host/<hostname>/api/v1/charts, with the charts the tests query', async () => {
    const { url, parent, child } = real();
    for (const host of [parent, child]) {
      const charts = await getJson<Charts>(url, `/host/${host}/api/v1/charts`);
      expect(charts.hostname).toBe(host);
      expect(charts.version).toBe('v1.37.1');
      expect(charts.charts['system.cpu'].context).toBe('system.cpu');
      expect(Object.keys(charts.charts['system.load'].dimensions)).toEqual(['load1', 'load5', 'load15']);
      const disks = Object.values(charts.charts).filter((c) => c.context === 'disk.io');
      expect(disks.length).toBeGreaterThanOrEqual(2);
      expect(Object.values(charts.charts).filter((c) => c.context === 'net.net').length).toBeGreaterThanOrEqual(2);
    }
  });

  it('has a minute of system.cpu for both hosts on the Parent', async () => {
    const { url, parent, child } = real();
    for (const host of [parent, child]) {
      const d = await getJson<Jsonwrap>(
        url,
        `/host/${host}/api/v1/data?chart=system.cpu&after=-60&before=0&points=60&format=json&options=jsonwrap,seconds`
      );
      expect(d.last_entry - d.first_entry).toBeGreaterThanOrEqual(60);
      expect(d.result.data.filter((row) => row.slice(1).some((v) => v !== null)).length).toBe(60);
    }
  });

  it('has no /api/v2: 404 "Unsupported API version: v2"', async () => {
    const { url } = real();
    for (const path of ['/api/v2/info', '/api/v2/data?contexts=system.cpu', '/api/v3/info']) {
      const a = await get(url, path);
      expect([path, a.status, a.text]).toEqual([path, 404, `Unsupported API version: ${path.split('/')[2]}`]);
    }
  });

  it('names an unknown /host/ node in a 404', async () => {
    const { url } = real();
    const a = await get(url, '/host/no-such-node/api/v1/info');
    expect([a.status, a.text]).toEqual([404, 'This netdata does not maintain a database for host: no-such-node']);
  });

  it('has the forced alert transitions in /api/v1/alarm_log of both hosts, newest first', async () => {
    const { url, parent, child, alertRaised, alertCleared } = real();
    for (const host of [parent, child]) {
      const log = await getJson<AlarmLogEntry[]>(url, `/host/${host}/api/v1/alarm_log`);
      expect(log.every((e) => e.hostname === host)).toBe(true);
      const raised = log.find((e) => e.name === alertRaised && e.status === 'WARNING');
      expect(raised).toMatchObject({ chart: 'system.cpu', context: 'system.cpu' });
      const cleared = log.find((e) => e.name === alertCleared && e.status === 'CLEAR');
      expect(cleared).toMatchObject({ chart: 'system.load', context: 'system.load', old_status: 'WARNING' });
      const ids = log.map((e) => e.unique_id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      // `after` is a unique id, not a time: only newer entries come back.
      const newer = await getJson<AlarmLogEntry[]>(url, `/host/${host}/api/v1/alarm_log?after=${cleared!.unique_id}`);
      expect(newer.every((e) => e.unique_id > cleared!.unique_id)).toBe(true);
    }
  });
});
