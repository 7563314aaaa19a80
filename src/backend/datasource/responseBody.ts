// Reads a Netdata response body while it streams in, stopping at a size limit: a huge answer is refused after
// `limit` bytes instead of being buffered whole (and then parsed into an even larger object graph).

export type LimitedBody = { ok: true; text: string; bytes: number } | { ok: false; bytes: number };

/** Above this, the answer is refused; big enough for 1 000 series × 500 points of json2 (≈ 20 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

function decode(chunks: Uint8Array[], bytes: number): string {
  // TextDecoder drops a UTF-8 BOM, as Response.text() does.
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes));
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
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, bytes };
    }
    chunks.push(value);
  }
  return { ok: true, text: decode(chunks, bytes), bytes };
}

/** The first `maxBytes` of a body (error bodies: only their start is ever shown), then the rest is cancelled. */
export async function readPrefixText(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) {
    return '';
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    bytes += value.byteLength;
    if (bytes >= maxBytes) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  // A multi-byte character cut at the end decodes to U+FFFD, which is fine for an excerpt.
  return decode(chunks, bytes).slice(0, maxBytes);
}

export function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${mib >= 10 ? Math.round(mib) : mib.toFixed(1).replace(/\.0$/, '')} MiB`;
}
