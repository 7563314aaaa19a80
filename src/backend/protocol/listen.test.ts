/** @jest-environment node */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log/logger';
import { listen, type Listener } from './listen';

const log = createLogger({ level: 'error', write: () => undefined });

describe('listen', () => {
  let listener: Listener | undefined;
  afterEach(() => listener?.server.close());

  it('binds a unix socket named plugin<random> in PLUGIN_UNIX_SOCKET_DIR, group-writable with PLUGIN_UNIX_SOCKET_GROUP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpx-listen-'));
    try {
      const gid = process.getgid!();
      listener = await listen({ PLUGIN_UNIX_SOCKET_DIR: dir, PLUGIN_UNIX_SOCKET_GROUP: String(gid) }, log, 'linux');
      const { addr } = listener;
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
    listener = await listen({ PLUGIN_MIN_PORT: '23000', PLUGIN_MAX_PORT: '23100' }, log, 'win32');
    expect(listener.addr.network).toBe('tcp');
    const [host, port] = listener.addr.address.split(':');
    expect(host).toBe('127.0.0.1');
    expect(Number(port)).toBeGreaterThanOrEqual(23000);
    expect(Number(port)).toBeLessThanOrEqual(23100);
  });

  it('keeps connections that arrive before serve() unread, then hands them over with every byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpx-listen-'));
    try {
      listener = await listen({ PLUGIN_UNIX_SOCKET_DIR: dir }, log, 'linux');
      const early = connect(listener.addr.address);
      await new Promise((r) => early.once('connect', r));
      early.write('PRI * HTTP/2.0\r\n');
      await new Promise((r) => setTimeout(r, 50));
      const received = new Promise<string>((resolve) => {
        listener!.serve((socket: Socket) => {
          let text = '';
          socket.resume();
          socket.on('data', (d: Buffer) => {
            text += d.toString();
            if (text.endsWith('late')) {
              resolve(text);
              socket.end();
            }
          });
        });
      });
      early.write('late');
      expect(await received).toBe('PRI * HTTP/2.0\r\nlate');
      early.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
