// Where the server listens: a unix socket in PLUGIN_UNIX_SOCKET_DIR or the temp dir (Linux/macOS), or
// 127.0.0.1 in [PLUGIN_MIN_PORT, PLUGIN_MAX_PORT] on Windows, where go-plugin cannot dial named pipes.
// A plain node:net listener, bound before the gRPC server exists: the handshake goes out without waiting for
// grpc-js to load. Connections that arrive meanwhile wait, unread, until serve() hands them to the gRPC server.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../log/logger';
import type { Env, ListenAddress } from './handshake';

export interface Listener {
  addr: ListenAddress;
  /** The bound listener (closed on shutdown). */
  server: Server;
  /**
   * From now on every connection, the waiting ones first, goes to `accept` (the gRPC server's injector), paused:
   * the consumer resumes it once it listens (an HTTP/2 session, or a test reading it).
   */
  serve(accept: (socket: Socket) => void): void;
}

function bind(server: Server, target: string | { host: string; port: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(err);
    server.once('error', fail);
    const done = () => {
      server.off('error', fail);
      const a = server.address();
      resolve(a !== null && typeof a === 'object' ? a.port : 0);
    };
    if (typeof target === 'string') {
      server.listen(target, done);
    } else {
      server.listen(target.port, target.host, done);
    }
  });
}

function queueingServer(): { server: Server; serve: Listener['serve'] } {
  let waiting: Socket[] = [];
  let accept: ((socket: Socket) => void) | undefined;
  // Paused: nothing is read from a waiting connection, so the gRPC server gets its bytes whole.
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    if (accept) {
      accept(socket);
    } else {
      waiting.push(socket);
      socket.once('close', () => (waiting = waiting.filter((s) => s !== socket)));
    }
  });
  return {
    server,
    serve(to) {
      accept = to;
      const queued = waiting;
      waiting = [];
      queued.filter((s) => !s.destroyed).forEach(to);
    },
  };
}

function groupId(group: string): number | undefined {
  if (/^\d+$/.test(group)) {
    return Number(group);
  }
  try {
    const line = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[0] === group);
    const gid = line?.split(':')[2];
    return gid !== undefined && /^\d+$/.test(gid) ? Number(gid) : undefined;
  } catch {
    return undefined;
  }
}

/** go-plugin: chgrp the socket to PLUGIN_UNIX_SOCKET_GROUP and make it group-writable. */
function applySocketGroup(path: string, group: string, log: Logger): void {
  const gid = groupId(group);
  if (gid === undefined) {
    log.warn('PLUGIN_UNIX_SOCKET_GROUP names an unknown group; socket permissions unchanged', { group });
    return;
  }
  try {
    chownSync(path, -1, gid);
    chmodSync(path, 0o660);
  } catch (err) {
    log.warn('could not apply PLUGIN_UNIX_SOCKET_GROUP to the socket', { group, error: err });
  }
}

export function socketPath(env: Env): string {
  return join(env.PLUGIN_UNIX_SOCKET_DIR || tmpdir(), `plugin${randomBytes(6).toString('hex')}`);
}

async function listenUnix(server: Server, env: Env, log: Logger): Promise<ListenAddress> {
  const path = socketPath(env);
  try {
    unlinkSync(path);
  } catch {
    // normally absent
  }
  await bind(server, path);
  if (env.PLUGIN_UNIX_SOCKET_GROUP) {
    applySocketGroup(path, env.PLUGIN_UNIX_SOCKET_GROUP, log);
  }
  return { network: 'unix', address: path };
}

function portRange(env: Env): [number, number] {
  const min = Number(env.PLUGIN_MIN_PORT);
  const max = Number(env.PLUGIN_MAX_PORT);
  if (Number.isInteger(min) && Number.isInteger(max) && min > 0 && max <= 65535 && min <= max) {
    return [min, max];
  }
  return [10000, 25000];
}

async function listenTcp(server: Server, env: Env): Promise<ListenAddress> {
  const [min, max] = portRange(env);
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    try {
      await bind(server, { host: '127.0.0.1', port });
      return { network: 'tcp', address: `127.0.0.1:${port}` };
    } catch {
      // taken; try another
    }
  }
  // The client does not enforce the range: any free loopback port works.
  const port = await bind(server, { host: '127.0.0.1', port: 0 });
  return { network: 'tcp', address: `127.0.0.1:${port}` };
}

export async function listen(env: Env, log: Logger, platform = process.platform): Promise<Listener> {
  const { server, serve } = queueingServer();
  const addr = await (platform === 'win32' ? listenTcp(server, env) : listenUnix(server, env, log));
  return { addr, server, serve };
}
