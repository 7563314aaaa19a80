// Reads a Netdata response body while it streams in, stopping at a size limit: a huge answer is refused after
// `limit` bytes instead of being buffered whole (and then parsed into an even larger object graph).

export type LimitedBody = { ok: true; text: string; bytes: number } | { ok: false; bytes: number };

/** Above this, the answer is refused; big enough for 1 000 series × 500 points of json2 (≈ 20 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export function decodeBody(chunks: Uint8Array[], bytes: number): string {
  // TextDecoder drops a UTF-8 BOM, as Response.text() does.
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes));
}

/** Reads body chunks until the end, or until `stop(bytes read)` says enough; then the rest is cancelled. */
async function readChunks(
  body: ReadableStream<Uint8Array>,
  stop: (bytes: number) => boolean
): Promise<{ chunks: Uint8Array[]; bytes: number; stopped: boolean }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return { chunks, bytes, stopped: false };
    }
    chunks.push(value);
    bytes += value.byteLength;
    if (stop(bytes)) {
      await reader.cancel().catch(() => undefined);
      return { chunks, bytes, stopped: true };
    }
  }
}

/**
 * The whole body as text, or `ok: false` as soon as more than `limit` bytes arrived (or were announced by
 * Content-Length); the rest of the body is then cancelled, which closes the connection.
 */
export async function readLimitedText(res: Response, limit: number): Promise<LimitedBody> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, bytes: declared };
  }
  if (!res.body) {
    return { ok: true, text: '', bytes: 0 };
  }
  const read = await readChunks(res.body, (bytes) => bytes > limit);
  return read.stopped
    ? { ok: false, bytes: read.bytes }
    : { ok: true, text: decodeBody(read.chunks, read.bytes), bytes: read.bytes };
}

/** The first `maxBytes` of a body (error bodies: only their start is ever shown), then the rest is cancelled. */
export async function readPrefixText(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) {
    return '';
  }
  const read = await readChunks(res.body, (bytes) => bytes >= maxBytes);
  // A multi-byte character cut at the end decodes to U+FFFD, which is fine for an excerpt.
  return decodeBody(read.chunks, read.bytes).slice(0, maxBytes);
}

export function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${mib >= 10 ? Math.round(mib) : mib.toFixed(1).replace(/\.0$/, '')} MiB`;
}
