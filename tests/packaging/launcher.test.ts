/** @jest-environment node */
// The static Linux launcher (scripts/packaging/launcher.c) as built into dist/: needs no libc, execs the bundled
// loader in place (same PID, same arguments and environment), and says why in Grafana's log when it cannot.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executablePath, requireFreshExecutables } from './artifacts';
import { elfInfo } from './elf';

jest.setTimeout(60000);

const LAUNCHER = executablePath('linux-amd64');

function run(
  file: string,
  args: string[],
  env: Record<string, string>
): Promise<{ code: number | null; pid: number; stdout: string; stderr: string }> {
  const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on('close', (code) => res({ code, pid: child.pid!, stdout, stderr })));
}

/** A plugin folder holding only the launcher (and what `setup` adds). */
function pluginDir(setup: (dir: string) => void = () => undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpx-launcher-'));
  copyFileSync(LAUNCHER, join(dir, 'gpx_netdata_linux_amd64'));
  chmodSync(join(dir, 'gpx_netdata_linux_amd64'), 0o755);
  setup(dir);
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

beforeAll(() => requireFreshExecutables(['linux-amd64']));

describe('linux launcher', () => {
  it('is a static x86-64 ELF: no interpreter, no shared libraries', () => {
    const elf = elfInfo(LAUNCHER);
    expect(elf.machine).toBe('x86_64');
    expect(elf.interpreter).toBeUndefined();
    expect(elf.dynamic).toBe(false);
    expect(elf.needed).toEqual([]);
  });

  it('execs <dir>/runtime_linux_amd64/lib/<loader> --library-path <lib> <backend> with the same PID, args and env', async () => {
    // A stand-in loader that reports how it was started.
    const dir = pluginDir((d) => {
      mkdirSync(join(d, 'runtime_linux_amd64/lib'), { recursive: true });
      writeFileSync(
        join(d, 'runtime_linux_amd64/lib/ld-linux-x86-64.so.2'),
        '#!/bin/sh\necho "$$"\necho "$0"\nfor a in "$@"; do echo "$a"; done\necho "$grafana_plugin_type"\n',
        { mode: 0o755 }
      );
    });
    dirs.push(dir);
    const rt = join(dir, 'runtime_linux_amd64');
    const res = await run(join(dir, 'gpx_netdata_linux_amd64'), ['x', 'two words'], {
      grafana_plugin_type: 'datasource',
      PATH: '/usr/bin:/bin',
    });
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n').filter(Boolean)).toEqual([
      String(res.pid),
      join(rt, 'lib/ld-linux-x86-64.so.2'),
      '--library-path',
      join(rt, 'lib'),
      join(rt, 'backend'),
      'x',
      'two words',
      'datasource',
    ]);
  });

  it('missing runtime: exits 127 with one hclog error line naming the path', async () => {
    const dir = pluginDir();
    dirs.push(dir);
    const res = await run(join(dir, 'gpx_netdata_linux_amd64'), [], {});
    expect(res.code).toBe(127);
    expect(res.stdout).toBe('');
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]) as Record<string, string>;
    expect(entry['@level']).toBe('error');
    expect(entry['@message']).toContain('cannot start the bundled runtime');
    expect(entry.path).toBe(join(dir, 'runtime_linux_amd64/lib/ld-linux-x86-64.so.2'));
    expect(entry.error).toBe('No such file or directory');
  });

  it('loader without its exec bit (a zip that lost the modes): says Permission denied', async () => {
    const dir = pluginDir((d) => {
      mkdirSync(join(d, 'runtime_linux_amd64/lib'), { recursive: true });
      writeFileSync(join(d, 'runtime_linux_amd64/lib/ld-linux-x86-64.so.2'), '#!/bin/sh\necho started\n', {
        mode: 0o644,
      });
    });
    dirs.push(dir);
    const res = await run(join(dir, 'gpx_netdata_linux_amd64'), [], {});
    expect(res.code).toBe(127);
    expect(res.stdout).toBe('');
    expect(JSON.parse(res.stderr.trim()).error).toBe('Permission denied');
  });
});
