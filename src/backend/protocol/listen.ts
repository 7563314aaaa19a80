// Where the server listens: a unix socket in PLUGIN_UNIX_SOCKET_DIR or the temp dir (Linux/macOS), or
// 127.0.0.1 in [PLUGIN_MIN_PORT, PLUGIN_MAX_PORT] on Windows, where go-plugin cannot dial named pipes.
import { ServerCredentials, type Server } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log/logger';
import type { Env, ListenAddress } from './handshake';

function bind(server: Server, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(target, ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
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
  await bind(server, `unix:${path}`);
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
      await bind(server, `127.0.0.1:${port}`);
      return { network: 'tcp', address: `127.0.0.1:${port}` };
    } catch {
      // taken; try another
    }
  }
  // The client does not enforce the range: any free loopback port works.
  const port = await bind(server, '127.0.0.1:0');
  return { network: 'tcp', address: `127.0.0.1:${port}` };
}

export function listen(server: Server, env: Env, log: Logger, platform = process.platform): Promise<ListenAddress> {
  return platform === 'win32' ? listenTcp(server, env) : listenUnix(server, env, log);
}
