// The gRPC package definition, built from the JSON descriptor that scripts/build-backend.mjs generates from
// ./proto/*.proto, so nothing reads .proto files at run time (the bundle must be self-contained).
import type { ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON, type Options, type PackageDefinition } from '@grpc/proto-loader';
import descriptor from './descriptor.generated';

export const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: Number,
  enums: Number,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
};

export const packageDefinition: PackageDefinition = fromJSON(
  descriptor as Parameters<typeof fromJSON>[0],
  LOADER_OPTIONS
);

export type ServiceName =
  | 'pluginv2.Data'
  | 'pluginv2.Diagnostics'
  | 'pluginv2.Resource'
  | 'pluginv2.Stream'
  | 'plugin.GRPCController'
  | 'plugin.GRPCStdio'
  | 'grpc.health.v1.Health';

export function serviceDefinition(name: ServiceName): ServiceDefinition {
  const def = packageDefinition[name];
  if (!def || 'format' in def) {
    throw new Error(`service ${name} missing from the descriptor`);
  }
  return def as unknown as ServiceDefinition;
}
