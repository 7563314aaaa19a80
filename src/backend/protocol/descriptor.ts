// The gRPC service definitions, built from the JSON descriptor that scripts/build-backend.mjs generates from
// ./proto/*.proto with protobufjs's reflection (its light build: no .proto parser at run time). Each method
// (de)serialises with its message type's own generated encoder, decoder and toObject, which is what
// @grpc/proto-loader would do, without proto-loader's descriptor-proto conversion that cost a third of the
// start-up.
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { Root, type IConversionOptions, type Service, type Type } from 'protobufjs/light';
import descriptor from './descriptor.generated';

/**
 * Decoded messages (messages.ts): original field names, int64 as number, enums as numbers, bytes as Buffer, every
 * field defaulted (missing sub-messages are null), arrays and maps always present.
 */
export const CONVERSION: IConversionOptions = {
  longs: Number,
  enums: Number,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
};

export type ServiceName =
  | 'pluginv2.Data'
  | 'pluginv2.Diagnostics'
  | 'pluginv2.Resource'
  | 'pluginv2.Stream'
  | 'plugin.GRPCController'
  | 'plugin.GRPCStdio'
  | 'grpc.health.v1.Health';

export const SERVICE_NAMES: readonly ServiceName[] = [
  'pluginv2.Data',
  'pluginv2.Diagnostics',
  'pluginv2.Resource',
  'pluginv2.Stream',
  'plugin.GRPCController',
  'plugin.GRPCStdio',
  'grpc.health.v1.Health',
];

let root: Root | undefined;

function serializer(type: Type): (value: object) => Buffer {
  return (value) => {
    const bytes = type.encode(type.fromObject(value as Record<string, unknown>)).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(type: Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), CONVERSION);
}

function definition(service: Service, fullName: string): ServiceDefinition {
  const methods: Record<string, MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const request = method.resolvedRequestType!;
    const response = method.resolvedResponseType!;
    methods[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
      originalName: method.name.charAt(0).toLowerCase() + method.name.slice(1),
    };
  }
  return methods;
}

export function serviceDefinition(name: ServiceName): ServiceDefinition {
  root ??= Root.fromJSON(descriptor);
  const service = root.lookupService(name);
  if (!service) {
    throw new Error(`service ${name} missing from the descriptor`);
  }
  return definition(service, name);
}

/** Every service, keyed by full name: what grpc-js's loadPackageDefinition takes to build clients (tests). */
export function packageDefinition(): Record<ServiceName, ServiceDefinition> {
  return Object.fromEntries(SERVICE_NAMES.map((n) => [n, serviceDefinition(n)])) as Record<
    ServiceName,
    ServiceDefinition
  >;
}
