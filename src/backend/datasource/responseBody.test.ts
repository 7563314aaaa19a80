/** @jest-environment node */
import { mebibytes, readLimitedText, readPrefixText } from './responseBody';

function streamed(chunks: string[], headers: Record<string, string> = {}): { res: Response; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled < chunks.length) {
        controller.enqueue(new TextEncoder().encode(chunks[pulled++]));
      } else {
        controller.close();
      }
    },
  });
  return { res: new Response(body, { headers }), pulled: () => pulled };
}

describe('readLimitedText', () => {
  it('returns the whole body under the limit, without a BOM', async () => {
    const { res } = streamed(['\ufeff{"a":', '"é"}']);
    expect(await readLimitedText(res, 100)).toEqual({ ok: true, text: '{"a":"é"}', bytes: 13 });
  });

  it('stops reading as soon as the limit is passed', async () => {
    const { res, pulled } = streamed(Array.from({ length: 100 }, () => 'x'.repeat(1000)));
    const r = await readLimitedText(res, 10_500);
    expect(r).toEqual({ ok: false, bytes: 11_000 });
    expect(pulled()).toBeLessThan(15);
  });

  it('refuses a body whose Content-Length is above the limit without reading it', async () => {
    const { res, pulled } = streamed(['x'.repeat(100)], { 'Content-Length': '5000000' });
    expect(await readLimitedText(res, 1000)).toEqual({ ok: false, bytes: 5_000_000 });
    expect(pulled()).toBeLessThanOrEqual(1);
  });
});

describe('readPrefixText', () => {
  it('reads only the start of a long error body', async () => {
    const { res, pulled } = streamed(Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(1000, '.')));
    const text = await readPrefixText(res, 2500);
    expect(text).toHaveLength(2500);
    expect(text.startsWith('0....')).toBe(true);
    expect(pulled()).toBeLessThan(6);
  });
});

it('names sizes in MiB', () => {
  expect(mebibytes(32 * 1024 * 1024)).toBe('32 MiB');
  expect(mebibytes(1.5 * 1024 * 1024)).toBe('1.5 MiB');
});
