// Plays Grafana's part for protocol tests: spawns the backend executable with Grafana's environment, reads the
// go-plugin handshake from stdout, dials the socket with grpc-js (generic client from the plugin's own
// descriptor) and exposes typed calls plus Arrow decoding of the returned frames.
import {
  credentials,
  loadPackageDefinition,
  type Client,
  type GrpcObject,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { tableFromIPC, type Table } from 'apache-arrow';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageDefinition } from '../../src/backend/protocol/descriptor';
import type {
  CallResourceResponseMsg,
  CheckHealthResponseMsg,
  DataSourceInstanceSettingsMsg,
  QueryDataResponseMsg,
} from '../../src/backend/protocol/messages';

export const EXECUTABLE = process.env.GPX_EXECUTABLE || resolve(__dirname, '../../dist/gpx_netdata_linux_amd64');

/** What Grafana puts in the plugin's environment (grafana-backend-protocol.md §1.2); the host env is appended. */
export function grafanaEnv(extra: Record<string, string> = {}): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('GF_') && !k.startsWith('PLUGIN_') && k !== 'grafana_plugin_type') {
      inherited[k] = v;
    }
  }
  return {
    ...inherited,
    grafana_plugin_type: 'datasource',
    PLUGIN_PROTOCOL_VERSIONS: '2',
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    GF_VERSION: '12.4.10',
    GF_EDITION: 'Open Source',
    GF_PLUGIN_LOG_LEVEL: 'debug',
    ...extra,
  };
}

export interface Handshake {
  core: string;
  app: string;
  network: string;
  address: string;
  protocol: string;
  raw: string;
}

export function parseHandshake(line: string): Handshake {
  const parts = line.trim().split('|');
  return { core: parts[0], app: parts[1], network: parts[2], address: parts[3], protocol: parts[4], raw: line };
}

export interface SettingsInput {
  url: string;
  transport?: 'agent' | 'cloud';
  token?: string;
  spaceId?: string;
  roomId?: string;
  timeout?: number;
  uid?: string;
  lastUpdatedMS?: number;
}

export function dataSourceSettings(s: SettingsInput): DataSourceInstanceSettingsMsg {
  const jsonData: Record<string, unknown> = { transport: s.transport ?? 'agent' };
  for (const key of ['spaceId', 'roomId', 'timeout'] as const) {
    if (s[key] !== undefined) {
      jsonData[key] = s[key];
    }
  }
  return {
    id: 1,
    name: 'Netdata',
    url: s.url,
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: Buffer.from(JSON.stringify(jsonData)),
    decryptedSecureJsonData: s.token ? { token: s.token } : {},
    lastUpdatedMS: s.lastUpdatedMS ?? 1,
    uid: s.uid ?? 'netdata-test',
    apiVersion: '',
  };
}

function pluginContext(settings: DataSourceInstanceSettingsMsg) {
  return {
    orgId: 1,
    pluginId: 'seed-netdata-datasource',
    dataSourceInstanceSettings: settings,
    pluginVersion: '1.0.0',
    userAgent: 'Grafana/12.4.10',
  };
}

export interface QueryInput {
  refId: string;
  /** The frontend query model; a string is sent as raw bytes (to test malformed JSON). */
  json: unknown;
  fromMs: number;
  toMs: number;
  maxDataPoints?: number;
  intervalMs?: number;
  /** `DataQuery.queryType` (alert annotation queries send `alertTransitions`). */
  queryType?: string;
}

export interface ResourceAnswer {
  code: number;
  headers: Record<string, string[]>;
  body: unknown;
  text: string;
  messages: number;
}

/** Grafana's data frame JSON as a stream packet carries it. */
export interface FrameJsonPacket {
  schema?: {
    refId?: string;
    meta?: { notices?: Array<{ severity: string; text: string }> };
    fields: Array<{ name: string; type: string; labels?: Record<string, string>; config?: Record<string, unknown> }>;
  };
  data?: { values: unknown[][] };
}

export interface StreamRun {
  packets: FrameJsonPacket[];
  error: Error | undefined;
  ended: boolean;
  cancel(): void;
  /** Resolves with the next `count` packets. */
  next(count?: number, timeoutMs?: number): Promise<FrameJsonPacket[]>;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

type Callback<T> = (err: Error | null, value: T) => void;
interface UnaryClient extends Client {
  [method: string]: unknown;
}

function service(pkg: GrpcObject, path: string): ServiceClientConstructor {
  let node: unknown = pkg;
  for (const part of path.split('.')) {
    node = (node as Record<string, unknown>)[part];
  }
  return node as ServiceClientConstructor;
}

export class PluginProcess {
  readonly stderrLines: string[] = [];
  /** stdout bytes after the handshake line: must stay empty. */
  extraStdout = '';
  readonly exited: Promise<ExitInfo>;
  exitInfo?: ExitInfo;
  private clients: Client[] = [];
  private readonly pkg = loadPackageDefinition(packageDefinition());

  constructor(
    readonly child: ChildProcess,
    readonly handshake: Handshake,
    readonly startedInMs: number
  ) {
    this.exited = new Promise((res) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        this.exitInfo = { code, signal };
        res(this.exitInfo);
      };
      if (child.exitCode !== null || child.signalCode !== null) {
        done(child.exitCode, child.signalCode);
      } else {
        child.once('exit', done);
      }
    });
  }

  get target(): string {
    return this.handshake.network === 'unix' ? `unix:${this.handshake.address}` : this.handshake.address;
  }

  client(path: string): UnaryClient {
    const Ctor = service(this.pkg, path);
    const c = new Ctor(this.target, credentials.createInsecure(), {
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
    }) as unknown as UnaryClient;
    this.clients.push(c);
    return c;
  }

  private unaryCall<T>(
    servicePath: string,
    method: string,
    request: unknown,
    deadlineMs = 30000
  ): { response: Promise<T>; cancel: () => void } {
    const c = this.client(servicePath);
    const fn = c[method] as (req: unknown, opts: { deadline: number }, cb: Callback<T>) => { cancel(): void };
    let call: { cancel(): void } | undefined;
    const response = new Promise<T>((res, rej) => {
      call = fn.call(c, request, { deadline: Date.now() + deadlineMs }, (err, value) => (err ? rej(err) : res(value)));
    });
    return { response, cancel: () => call?.cancel() };
  }

  private unary<T>(servicePath: string, method: string, request: unknown, deadlineMs = 30000): Promise<T> {
    return this.unaryCall<T>(servicePath, method, request, deadlineMs).response;
  }

  health(service = ''): Promise<{ status: number }> {
    return this.unary('grpc.health.v1.Health', 'Check', { service });
  }

  checkHealth(settings: DataSourceInstanceSettingsMsg): Promise<CheckHealthResponseMsg> {
    return this.unary('pluginv2.Diagnostics', 'CheckHealth', { pluginContext: pluginContext(settings), headers: {} });
  }

  collectMetrics(settings: DataSourceInstanceSettingsMsg): Promise<{ metrics: { prometheus: Buffer } }> {
    return this.unary('pluginv2.Diagnostics', 'CollectMetrics', { pluginContext: pluginContext(settings) });
  }

  queryData(
    settings: DataSourceInstanceSettingsMsg,
    queries: QueryInput[],
    deadlineMs?: number
  ): Promise<QueryDataResponseMsg> {
    return this.queryDataCall(settings, queries, deadlineMs).response;
  }

  /** QueryData that the caller can cancel, as Grafana does when a panel refresh is abandoned. */
  queryDataCall(
    settings: DataSourceInstanceSettingsMsg,
    queries: QueryInput[],
    deadlineMs?: number
  ): { response: Promise<QueryDataResponseMsg>; cancel: () => void } {
    return this.unaryCall(
      'pluginv2.Data',
      'QueryData',
      {
        pluginContext: pluginContext(settings),
        headers: { FromAlert: 'true' },
        queries: queries.map((q) => ({
          refId: q.refId,
          maxDataPoints: q.maxDataPoints ?? 100,
          intervalMS: q.intervalMs ?? 1000,
          timeRange: { fromEpochMS: q.fromMs, toEpochMS: q.toMs },
          json: Buffer.from(
            typeof q.json === 'string' ? q.json : JSON.stringify({ refId: q.refId, ...(q.json as object) })
          ),
          queryType: q.queryType ?? '',
        })),
        format: 0,
      },
      deadlineMs
    );
  }

  callResource(
    settings: DataSourceInstanceSettingsMsg,
    pathAndQuery: string,
    method = 'GET',
    body: Buffer = Buffer.alloc(0)
  ): Promise<ResourceAnswer> {
    const c = this.client('pluginv2.Resource');
    const path = pathAndQuery.split('?')[0];
    const fn = c.CallResource as (req: unknown) => NodeJS.ReadableStream;
    const stream = fn.call(c, {
      pluginContext: pluginContext(settings),
      path,
      method,
      url: pathAndQuery,
      headers: {},
      body,
    });
    const messages: CallResourceResponseMsg[] = [];
    return new Promise((res, rej) => {
      stream.on('data', (m: CallResourceResponseMsg) => messages.push(m));
      stream.on('error', rej);
      stream.on('end', () => {
        if (messages.length === 0) {
          rej(new Error('CallResource sent no message'));
          return;
        }
        const headers: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(messages[0].headers ?? {})) {
          headers[k] = v.values;
        }
        const text = Buffer.concat(messages.map((m) => Buffer.from(m.body ?? []))).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        res({ code: messages[0].code, headers, body, text, messages: messages.length });
      });
    });
  }

  /** Grafana Live's SubscribeStream for a `ds/<uid>/<path>` channel (path without the `ds/<uid>/` part). */
  subscribeStream(
    settings: DataSourceInstanceSettingsMsg,
    path: string,
    data: Buffer = Buffer.alloc(0)
  ): Promise<{ status: number; data: Buffer }> {
    return this.unary('pluginv2.Stream', 'SubscribeStream', {
      pluginContext: pluginContext(settings),
      path,
      data,
      headers: {},
    });
  }

  publishStream(settings: DataSourceInstanceSettingsMsg, path: string, data: Buffer): Promise<{ status: number }> {
    return this.unary('pluginv2.Stream', 'PublishStream', {
      pluginContext: pluginContext(settings),
      path,
      data,
      headers: {},
    });
  }

  /**
   * RunStream as Grafana's stream manager runs it for a channel: packets are frame JSON ({schema, data}); `cancel()`
   * is what Grafana does when the channel's last subscriber leaves.
   */
  runStream(settings: DataSourceInstanceSettingsMsg, path: string, data: Buffer = Buffer.alloc(0)): StreamRun {
    const c = this.client('pluginv2.Stream');
    const stream = (c.RunStream as (req: unknown) => NodeJS.ReadableStream & { cancel(): void }).call(c, {
      pluginContext: pluginContext(settings),
      path,
      data,
      headers: {},
    });
    const run: StreamRun = {
      packets: [],
      error: undefined,
      ended: false,
      cancel: () => stream.cancel(),
      next: (count = 1, timeoutMs = 15000) =>
        new Promise((res, rej) => {
          const want = run.packets.length + count;
          const check = () => {
            if (run.packets.length >= want) {
              cleanup();
              res(run.packets.slice(want - count, want));
            } else if (run.ended) {
              cleanup();
              rej(run.error ?? new Error('stream ended'));
            }
          };
          const timer = setTimeout(() => {
            cleanup();
            rej(new Error(`no ${count} packets within ${timeoutMs} ms (got ${run.packets.length})`));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            stream.off('data', check);
            stream.off('end', check);
            stream.off('error', check);
          };
          stream.on('data', check);
          stream.on('end', check);
          stream.on('error', check);
          check();
        }),
    };
    stream.on('data', (m: { data: Buffer }) => run.packets.push(JSON.parse(Buffer.from(m.data).toString('utf8'))));
    stream.on('error', (err: Error) => {
      run.error = err;
      run.ended = true;
    });
    stream.on('end', () => (run.ended = true));
    return run;
  }

  /** Opens StreamStdio like go-plugin's client does right after connecting; resolves with what arrived. */
  openStdio(): { received: unknown[]; ended: () => boolean; cancel: () => void } {
    const c = this.client('plugin.GRPCStdio');
    const stream = (c.StreamStdio as (req: unknown) => NodeJS.ReadableStream & { cancel(): void }).call(c, {});
    const received: unknown[] = [];
    let ended = false;
    stream.on('data', (m: unknown) => received.push(m));
    stream.on('end', () => (ended = true));
    stream.on('error', () => (ended = true));
    return { received, ended: () => ended, cancel: () => stream.cancel() };
  }

  /** Grafana's Client.Kill(): Shutdown RPC (errors ignored), close the connection, wait up to 2 s. */
  async shutdown(): Promise<{ exit: ExitInfo; ms: number }> {
    const started = Date.now();
    await this.unary('plugin.GRPCController', 'Shutdown', {}, 2000).catch(() => undefined);
    this.closeClients();
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      this.exited,
      new Promise<ExitInfo>((res) => (timer = setTimeout(() => res({ code: null, signal: null }), 2000))),
    ]);
    clearTimeout(timer);
    return { exit, ms: Date.now() - started };
  }

  closeClients(): void {
    for (const c of this.clients) {
      c.close();
    }
    this.clients = [];
  }

  async kill(): Promise<void> {
    this.closeClients();
    if (this.exitInfo === undefined) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  socketExists(): boolean {
    return this.handshake.network === 'unix' && existsSync(this.handshake.address);
  }

  /** stderr lines parsed as JSON (undefined for lines that are not JSON). */
  logEntries(): Array<Record<string, unknown> | undefined> {
    return this.stderrLines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    });
  }
}

export interface StartOptions {
  env?: Record<string, string>;
  executable?: string;
  timeoutMs?: number;
}

/** Starts the executable like Grafana and resolves once the handshake line is read. */
export function startPlugin(opts: StartOptions = {}): Promise<PluginProcess> {
  const started = Date.now();
  const child = spawn(opts.executable ?? EXECUTABLE, [], {
    env: opts.env ?? grafanaEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((res, rej) => {
    let stdout = '';
    let plugin: PluginProcess | undefined;
    let stderrBuf = '';
    const stderrLines: string[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`no handshake within ${opts.timeoutMs ?? 20000} ms; stderr: ${stderrLines.join('\n')}`));
    }, opts.timeoutMs ?? 20000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderrBuf += chunk;
      const lines = stderrBuf.split('\n');
      stderrBuf = lines.pop() ?? '';
      (plugin ? plugin.stderrLines : stderrLines).push(...lines);
    });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (plugin) {
        plugin.extraStdout += chunk;
        return;
      }
      stdout += chunk;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        plugin = new PluginProcess(child, parseHandshake(stdout.slice(0, nl + 1)), Date.now() - started);
        plugin.extraStdout = stdout.slice(nl + 1);
        plugin.stderrLines.push(...stderrLines);
        res(plugin);
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      rej(err);
    });
    child.on('exit', (code) => {
      if (!plugin) {
        clearTimeout(timer);
        rej(new Error(`plugin exited (${code}) before the handshake; stderr: ${stderrLines.join('\n')}${stderrBuf}`));
      }
    });
  });
}

/** Runs the executable to completion (for start-up failures); collects both streams. */
export function runToExit(
  env: Record<string, string>,
  timeoutMs = 10000
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(EXECUTABLE, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error('the executable did not exit'));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // let the pipes drain
      setTimeout(() => res({ code, stdout, stderr }), 50);
    });
  });
}

export function decodeFrames(frames: Uint8Array[]): Table[] {
  return frames.map((f) => tableFromIPC(f));
}
