/** @jest-environment node */
import { Server } from '@grpc/grpc-js';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log/logger';
import { listen } from './listen';

const log = createLogger({ level: 'error', write: () => undefined });

describe('listen', () => {
  let server: Server;
  beforeEach(() => {
    server = new Server();
  });
  afterEach(() => server.forceShutdown());

  it('binds a unix socket named plugin<random> in PLUGIN_UNIX_SOCKET_DIR, group-writable with PLUGIN_UNIX_SOCKET_GROUP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpx-listen-'));
    try {
      const gid = process.getgid!();
      const addr = await listen(
        server,
        { PLUGIN_UNIX_SOCKET_DIR: dir, PLUGIN_UNIX_SOCKET_GROUP: String(gid) },
        log,
        'linux'
      );
      expect(addr.network).toBe('unix');
      expect(addr.address).toMatch(new RegExp(`^${dir}/plugin[0-9a-f]{12}$`));
      const st = statSync(addr.address);
      expect(st.isSocket()).toBe(true);
      expect(st.gid).toBe(gid);
      expect(st.mode & 0o777).toBe(0o660);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('binds 127.0.0.1 inside [PLUGIN_MIN_PORT, PLUGIN_MAX_PORT] on Windows', async () => {
    const addr = await listen(server, { PLUGIN_MIN_PORT: '23000', PLUGIN_MAX_PORT: '23100' }, log, 'win32');
    expect(addr.network).toBe('tcp');
    const [host, port] = addr.address.split(':');
    expect(host).toBe('127.0.0.1');
    expect(Number(port)).toBeGreaterThanOrEqual(23000);
    expect(Number(port)).toBeLessThanOrEqual(23100);
  });
});
