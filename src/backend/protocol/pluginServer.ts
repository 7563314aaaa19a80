// The gRPC server Grafana talks to: pluginv2 Data/Diagnostics/Resource, go-plugin's controller and stdio, and
// grpc.health.v1. Every handler catches everything: a bad request never crashes the process.
import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { InstanceCache } from '../datasource/instanceCache';
import { checkHealth } from '../health/checkHealth';
import { healthError } from '../health/healthResult';
import type { Logger } from '../log/logger';
import { scrubSecrets } from '../log/secrets';
import { queryData } from '../query/queryData';
import { callResource, jsonResponse } from '../resources/callResource';
import { resourceMessages } from '../resources/resourceChunks';
import { LivePollers } from '../stream/livePoller';
import { publishStream, resolveStream, runStream, subscribeStream } from '../stream/streamService';
import type { Socket } from 'node:net';
import { callContext } from './callContext';
import { serviceDefinition } from './descriptor';
import {
  ServingStatus,
  type CallResourceRequestMsg,
  type CallResourceResponseMsg,
  type CheckHealthRequestMsg,
  type CheckHealthResponseMsg,
  type CollectMetricsResponseMsg,
  type HealthCheckRequestMsg,
  type HealthCheckResponseMsg,
  type QueryDataRequestMsg,
  type QueryDataResponseMsg,
  type StreamPacketMsg,
  type StreamRequestMsg,
  type StreamStatusResponseMsg,
} from './messages';
import { processMetrics } from './metrics';

/** The Go SDK's server receive limit (large CallResource bodies); grpc-js defaults to 4 MiB. */
export const MAX_RECEIVE_BYTES = 16 * 1024 * 1024;

const SERVING_NAMES = new Set([
  '',
  'plugin',
  'pluginv2.Data',
  'pluginv2.Diagnostics',
  'pluginv2.Resource',
  'pluginv2.Stream',
]);

export interface PluginServer {
  server: Server;
  /** Hands one accepted connection (from protocol/listen.ts) to the gRPC server. */
  acceptConnection(socket: Socket): void;
  /** Ends the open StreamStdio streams so that a graceful shutdown does not wait for them. */
  endStreams(): void;
}

export interface PluginServerOptions {
  log: Logger;
  instances?: InstanceCache;
  /** Called after the Shutdown RPC has been answered. */
  onShutdown: () => void;
}

function message(err: unknown): string {
  return scrubSecrets(err instanceof Error ? err.message : String(err));
}

export function createPluginServer(opts: PluginServerOptions): PluginServer {
  const { log } = opts;
  const instances = opts.instances ?? new InstanceCache();
  const startedAt = Date.now();
  const stdioStreams = new Set<ServerWritableStream<unknown, unknown>>();
  const pollers = new LivePollers(undefined, log);
  /** Open RunStreams and how each leaves its poller. */
  const runStreams = new Map<ServerWritableStream<StreamRequestMsg, StreamPacketMsg>, () => void>();
  const server = new Server({
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
    'grpc.max_send_message_length': -1,
    // No channelz service is exposed, and its per-call bookkeeping (counters, timestamps, trackers) costs CPU.
    'grpc.enable_channelz': 0,
  });

  const data: UntypedServiceImplementation = {
    QueryData(
      call: ServerUnaryCall<QueryDataRequestMsg, QueryDataResponseMsg>,
      callback: sendUnaryData<QueryDataResponseMsg>
    ) {
      const ctx = callContext(call);
      queryData(call.request, instances, ctx, log)
        .then((res) => callback(null, res))
        .catch((err: unknown) => {
          log.error('QueryData failed', { error: message(err) });
          callback({ code: status.INTERNAL, details: message(err) });
        })
        .finally(() => ctx.dispose());
    },
    QueryChunkedData(call: ServerWritableStream<unknown, unknown>) {
      call.emit('error', { code: status.UNIMPLEMENTED, details: 'QueryChunkedData is not implemented; use QueryData' });
    },
  };

  const diagnostics: UntypedServiceImplementation = {
    CheckHealth(
      call: ServerUnaryCall<CheckHealthRequestMsg, CheckHealthResponseMsg>,
      callback: sendUnaryData<CheckHealthResponseMsg>
    ) {
      const ctx = callContext(call);
      checkHealth(call.request, instances, ctx)
        .catch((err: unknown) => healthError(`Health check failed: ${message(err)}`, 'internal', err))
        .then((res) => callback(null, res))
        .finally(() => ctx.dispose());
    },
    CollectMetrics(
      _call: ServerUnaryCall<unknown, CollectMetricsResponseMsg>,
      callback: sendUnaryData<CollectMetricsResponseMsg>
    ) {
      callback(null, { metrics: { prometheus: Buffer.from(processMetrics(startedAt)) } });
    },
  };

  const resource: UntypedServiceImplementation = {
    CallResource(call: ServerWritableStream<CallResourceRequestMsg, CallResourceResponseMsg>) {
      const ctx = callContext(call);
      callResource(call.request, instances, ctx, log)
        .catch((err: unknown) => jsonResponse(500, { error: `Internal error of the Netdata plugin: ${message(err)}` }))
        .then((res) => {
          // Grafana takes the HTTP status from the first message only, and code 0 panics its net/http writer.
          for (const msg of resourceMessages(res)) {
            if (call.cancelled) {
              break;
            }
            call.write(msg);
          }
          call.end();
        })
        .finally(() => ctx.dispose());
    },
  };

  const stream: UntypedServiceImplementation = {
    SubscribeStream(
      call: ServerUnaryCall<StreamRequestMsg, StreamStatusResponseMsg>,
      callback: sendUnaryData<StreamStatusResponseMsg>
    ) {
      try {
        const res = subscribeStream(call.request, instances);
        log.debug('SubscribeStream', { path: call.request.path, status: res.status });
        callback(null, res);
      } catch (err) {
        callback({ code: status.INTERNAL, details: message(err) });
      }
    },
    PublishStream(
      _call: ServerUnaryCall<StreamRequestMsg, StreamStatusResponseMsg>,
      callback: sendUnaryData<StreamStatusResponseMsg>
    ) {
      callback(null, publishStream());
    },
    RunStream(call: ServerWritableStream<StreamRequestMsg, StreamPacketMsg>) {
      try {
        const found = resolveStream(call.request, instances);
        if (!found.ok) {
          call.emit('error', { code: status.NOT_FOUND, details: found.error });
          return;
        }
        log.debug('RunStream started', { path: call.request.path });
        const leave = runStream(found, pollers, {
          write: (packet) => (call.cancelled ? false : call.write(packet)),
        });
        runStreams.set(call, leave);
        const done = () => {
          if (runStreams.delete(call)) {
            leave();
            log.debug('RunStream ended', { path: call.request.path });
          }
        };
        call.on('cancelled', done);
        call.on('close', done);
        call.on('error', done);
      } catch (err) {
        call.emit('error', { code: status.INTERNAL, details: message(err) });
      }
    },
  };

  const health: UntypedServiceImplementation = {
    Check(
      call: ServerUnaryCall<HealthCheckRequestMsg, HealthCheckResponseMsg>,
      callback: sendUnaryData<HealthCheckResponseMsg>
    ) {
      const serving = SERVING_NAMES.has(call.request.service ?? '');
      callback(null, { status: serving ? ServingStatus.SERVING : ServingStatus.SERVICE_UNKNOWN });
    },
    Watch(call: ServerWritableStream<HealthCheckRequestMsg, HealthCheckResponseMsg>) {
      const serving = SERVING_NAMES.has(call.request.service ?? '');
      call.write({ status: serving ? ServingStatus.SERVING : ServingStatus.SERVICE_UNKNOWN });
      stdioStreams.add(call as ServerWritableStream<unknown, unknown>);
      call.on('cancelled', () => stdioStreams.delete(call as ServerWritableStream<unknown, unknown>));
    },
  };

  const controller: UntypedServiceImplementation = {
    Shutdown(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<object>) {
      log.debug('Shutdown requested by Grafana');
      callback(null, {});
      setImmediate(opts.onShutdown);
    },
  };

  const stdio: UntypedServiceImplementation = {
    // Stays open and sends nothing: our logs already go to stderr, which Grafana reads directly.
    StreamStdio(call: ServerWritableStream<unknown, unknown>) {
      stdioStreams.add(call);
      call.on('cancelled', () => stdioStreams.delete(call));
    },
  };

  server.addService(serviceDefinition('pluginv2.Data'), data);
  server.addService(serviceDefinition('pluginv2.Diagnostics'), diagnostics);
  server.addService(serviceDefinition('pluginv2.Resource'), resource);
  server.addService(serviceDefinition('pluginv2.Stream'), stream);
  server.addService(serviceDefinition('grpc.health.v1.Health'), health);
  server.addService(serviceDefinition('plugin.GRPCController'), controller);
  server.addService(serviceDefinition('plugin.GRPCStdio'), stdio);

  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());

  return {
    server,
    acceptConnection: (socket) => {
      injector.injectConnection(socket);
      // Accepted paused (listen.ts); the HTTP/2 session now owns the socket and reads it from here.
      socket.resume();
    },
    endStreams() {
      for (const [call, leave] of runStreams) {
        leave();
        try {
          call.end();
        } catch {
          // already gone
        }
      }
      runStreams.clear();
      for (const call of stdioStreams) {
        try {
          call.end();
        } catch {
          // already gone
        }
      }
      stdioStreams.clear();
    },
  };
}
