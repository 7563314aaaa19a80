// A lean gRPC caller for load generation: one HTTP/2 session on the plugin's socket, requests encoded once with
// protobufjs, answers decoded with protobufjs. grpc-js's client costs more CPU per call than the plugin under test,
// which on a 2-core machine would measure the load generator rather than the plugin; Grafana's Go client is lean.
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { Root, type Type } from 'protobufjs';
import descriptor from '../../src/backend/protocol/descriptor.generated';

const root = Root.fromJSON(descriptor);
export const QueryDataRequest: Type = root.lookupType('pluginv2.QueryDataRequest');
export const QueryDataResponse: Type = root.lookupType('pluginv2.QueryDataResponse');

const WINDOW = 16 * 1024 * 1024;

export interface LeanClient {
  /** Sends pre-encoded request bytes; resolves with the raw response message. */
  call(path: string, message: Uint8Array): Promise<Buffer>;
  close(): void;
}

export function leanClient(network: string, address: string): LeanClient {
  const session: ClientHttp2Session = connect('http://localhost', {
    createConnection: () => (network === 'unix' ? netConnect(address) : netConnect(Number(address.split(':')[1]))),
    // Go's gRPC client grows its windows by bandwidth-delay estimation; start where it ends up for big answers.
    settings: { initialWindowSize: WINDOW },
  });
  session.on('connect', () => session.setLocalWindowSize(WINDOW));
  return {
    call(path, message) {
      return new Promise((resolve, reject) => {
        const frame = Buffer.allocUnsafe(5 + message.length);
        frame[0] = 0;
        frame.writeUInt32BE(message.length, 1);
        frame.set(message, 5);
        const stream = session.request({
          [constants.HTTP2_HEADER_METHOD]: 'POST',
          [constants.HTTP2_HEADER_PATH]: path,
          [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
          te: 'trailers',
        });
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('trailers', (trailers) => {
          if (trailers['grpc-status'] !== '0') {
            reject(new Error(`gRPC status ${String(trailers['grpc-status'])}: ${String(trailers['grpc-message'])}`));
          }
        });
        stream.on('error', reject);
        stream.on('end', () => {
          const all = Buffer.concat(chunks);
          if (all.length < 5) {
            reject(new Error('gRPC answer without a message'));
            return;
          }
          resolve(all.subarray(5, 5 + all.readUInt32BE(1)));
        });
        stream.end(frame);
      });
    },
    close: () => session.close(),
  };
}
