// The floor of any plugin built on the same libraries, for the CPU-per-query row: a grpc-js server with the
// plugin's own service definitions whose QueryData does only what every query must (decode the request, GET the
// answer from Netdata over node:http with a keep-alive agent, JSON.parse it, answer an empty frame list). No
// settings, no query model, no frames, no Arrow. Started by process.ts in a child process on a unix socket.
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceDefinition } from '../../src/backend/protocol/descriptor';

export function serveFloor(netdataUrl: string): void {
  const agent = new Agent({ keepAlive: true });
  const server = new Server({ 'grpc.enable_channelz': 0 });
  server.addService(serviceDefinition('pluginv2.Data'), {
    QueryData(call: ServerUnaryCall<{ queries: Array<{ refId: string }> }, object>, callback: sendUnaryData<object>) {
      const refId = call.request.queries[0]?.refId ?? 'A';
      get(`${netdataUrl}/api/v3/data?contexts=system.cpu`, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          callback(null, { responses: { [refId]: { status: 200, frames: [] } } });
        });
      }).on('error', (err) => callback(err));
    },
  });
  const socket = join(tmpdir(), `gpx-bench-floor-${process.pid}.sock`);
  server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (err) => {
    if (err) {
      throw err;
    }
    process.send!({ address: socket });
  });
  process.on('disconnect', () => server.tryShutdown(() => process.exit(0)));
}
