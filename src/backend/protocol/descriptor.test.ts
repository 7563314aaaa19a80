/** @jest-environment node */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { packageDefinition } from './descriptor';
import generated from './descriptor.generated';

describe('gRPC descriptor', () => {
  it('is the JSON form of the .proto files (regenerate with scripts/build-backend.mjs)', () => {
    const dir = join(__dirname, 'proto');
    const root = new protobuf.Root();
    root.loadSync(
      readdirSync(dir)
        .filter((f) => f.endsWith('.proto'))
        .sort()
        .map((f) => join(dir, f)),
      { keepCase: true }
    );
    expect(generated).toEqual(root.toJSON());
  });

  it('has the method paths Grafana calls', () => {
    const paths = Object.values(packageDefinition())
      .filter((d) => !('format' in d))
      .flatMap((svc) => Object.values(svc as Record<string, { path: string; responseStream: boolean }>));
    const byPath = new Map(paths.map((m) => [m.path, m.responseStream]));
    expect(byPath.get('/pluginv2.Data/QueryData')).toBe(false);
    expect(byPath.get('/pluginv2.Data/QueryChunkedData')).toBe(true);
    expect(byPath.get('/pluginv2.Diagnostics/CheckHealth')).toBe(false);
    expect(byPath.get('/pluginv2.Diagnostics/CollectMetrics')).toBe(false);
    expect(byPath.get('/pluginv2.Resource/CallResource')).toBe(true);
    expect(byPath.get('/plugin.GRPCController/Shutdown')).toBe(false);
    expect(byPath.get('/plugin.GRPCStdio/StreamStdio')).toBe(true);
    expect(byPath.get('/grpc.health.v1.Health/Check')).toBe(false);
    expect(byPath.get('/pluginv2.Stream/SubscribeStream')).toBe(false);
    expect(byPath.get('/pluginv2.Stream/RunStream')).toBe(true);
    expect(byPath.get('/pluginv2.Stream/PublishStream')).toBe(false);
  });

  it('uses the SDK field numbers on the wire', () => {
    const root = protobuf.Root.fromJSON(generated);
    const ids = (type: string) =>
      Object.fromEntries(
        Object.entries(root.lookupType(type).fields).map(([name, f]) => [name, [f.id, f.type, f.repeated]])
      );
    expect(ids('pluginv2.DataResponse')).toEqual({
      frames: [1, 'bytes', true],
      error: [2, 'string', false],
      jsonMeta: [3, 'bytes', false],
      status: [4, 'int32', false],
      errorSource: [5, 'string', false],
      format: [6, 'DataFrameFormat', false],
    });
    expect(ids('pluginv2.DataQuery')).toEqual({
      refId: [1, 'string', false],
      maxDataPoints: [2, 'int64', false],
      intervalMS: [3, 'int64', false],
      timeRange: [4, 'TimeRange', false],
      json: [5, 'bytes', false],
      queryType: [6, 'string', false],
    });
    for (const req of [
      'pluginv2.SubscribeStreamRequest',
      'pluginv2.RunStreamRequest',
      'pluginv2.PublishStreamRequest',
    ]) {
      expect(ids(req)).toEqual({
        pluginContext: [1, 'PluginContext', false],
        path: [2, 'string', false],
        data: [3, 'bytes', false],
        headers: [4, 'string', false],
      });
    }
    expect(ids('pluginv2.SubscribeStreamResponse')).toEqual({
      status: [1, 'Status', false],
      data: [2, 'bytes', false],
    });
    expect(ids('pluginv2.StreamPacket')).toEqual({ data: [1, 'bytes', false] });
    const ds = ids('pluginv2.DataSourceInstanceSettings');
    expect(ds.url[0]).toBe(3);
    expect(ds.jsonData).toEqual([8, 'bytes', false]);
    expect(ds.decryptedSecureJsonData[0]).toBe(9);
    expect(ds.lastUpdatedMS).toEqual([10, 'int64', false]);
    expect(ds.uid[0]).toBe(11);
    expect(ids('pluginv2.PluginContext').dataSourceInstanceSettings[0]).toBe(5);
    expect(ids('pluginv2.CallResourceResponse')).toEqual({
      code: [1, 'int32', false],
      headers: [2, 'StringList', false],
      body: [3, 'bytes', false],
    });
    expect(ids('pluginv2.CheckHealthResponse')).toEqual({
      status: [1, 'HealthStatus', false],
      message: [2, 'string', false],
      jsonDetails: [3, 'bytes', false],
    });
  });
});
