import { resourceMessages } from './resourceChunks';

const headers = { 'Content-Type': { values: ['application/json'] } };

describe('resourceMessages', () => {
  it('sends a small body as one message, unchanged', () => {
    const res = { code: 200, headers, body: Buffer.from('{"a":1}') };
    expect(resourceMessages(res, 16)).toEqual([res]);
  });

  it('splits a large body: status and headers on the first message, the bytes in order', () => {
    const body = Buffer.from('0123456789abcdefghij');
    const messages = resourceMessages({ code: 200, headers, body }, 8);
    expect(messages.map((m) => Buffer.from(m.body).toString())).toEqual(['01234567', '89abcdef', 'ghij']);
    expect(messages[0]).toMatchObject({ code: 200, headers });
    expect(messages.slice(1).every((m) => m.code === 0 && Object.keys(m.headers ?? {}).length === 0)).toBe(true);
  });

  it('keeps a body of exactly one chunk in one message', () => {
    expect(resourceMessages({ code: 404, headers, body: Buffer.alloc(8) }, 8)).toHaveLength(1);
  });
});
