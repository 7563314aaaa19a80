// Large resource bodies go out as several CallResource messages: Grafana takes status and headers from the first
// message and writes (and flushes) the body of every message, so the browser gets the answer progressively and no
// single message nears a gRPC client's receive limit (4 MiB by default outside Grafana).
import type { CallResourceResponseMsg } from '../protocol/messages';

/** Body bytes per message. */
export const RESOURCE_CHUNK_BYTES = 1024 * 1024;

export function resourceMessages(
  res: CallResourceResponseMsg,
  chunkBytes = RESOURCE_CHUNK_BYTES
): CallResourceResponseMsg[] {
  const body = res.body ?? Buffer.alloc(0);
  if (body.byteLength <= chunkBytes) {
    return [res];
  }
  const messages: CallResourceResponseMsg[] = [{ ...res, body: body.subarray(0, chunkBytes) }];
  for (let offset = chunkBytes; offset < body.byteLength; offset += chunkBytes) {
    // Later messages carry body only: their code and headers are ignored by Grafana.
    messages.push({ code: 0, headers: {}, body: body.subarray(offset, offset + chunkBytes) });
  }
  return messages;
}
