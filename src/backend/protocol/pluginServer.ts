// The gRPC server Grafana talks to: pluginv2 Data/Diagnostics/Resource, go-plugin's controller and stdio, and
// grpc.health.v1. Every handler catches everything: a bad request never crashes the process.
import {
  Server,
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
} from './messages';
import { processMetrics } from './metrics';

/** The Go SDK's server receive limit (large CallResource bodies); grpc-js defaults to 4 MiB. */
export const MAX_RECEIVE_BYTES = 16 * 1024 * 1024;

const SERVING_NAMES = new Set(['', 'plugin', 'pluginv2.Data', 'pluginv2.Diagnostics', 'pluginv2.Resource']);

export interface PluginServer {
  server: Server;
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
  const server = new Server({
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
    'grpc.max_send_message_length': -1,
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
  server.addService(serviceDefinition('grpc.health.v1.Health'), health);
  server.addService(serviceDefinition('plugin.GRPCController'), controller);
  server.addService(serviceDefinition('plugin.GRPCStdio'), stdio);

  return {
    server,
    endStreams() {
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
