/** @jest-environment node */
import { formatHclogLine, hclogTimestamp, MAX_LINE_BYTES } from './hclog';
import { createLogger, parseLogLevel } from './logger';
import { registerSecret, scrubSecrets } from './secrets';

const date = new Date('2026-11-28T10:11:12.345Z');

describe('hclog lines', () => {
  it('formats timestamps with exactly six fractional digits', () => {
    expect(hclogTimestamp(date)).toBe('2026-11-28T10:11:12.345000Z');
    expect(hclogTimestamp(new Date(0))).toMatch(/^1970-01-01T00:00:00\.\d{6}Z$/);
  });

  it('writes one JSON object per line with string @level, @message, @timestamp and extra keys', () => {
    const line = formatHclogLine(
      'warn',
      'hello',
      { refId: 'A', ms: 12, ok: true, obj: { a: 1 }, err: new Error('boom') },
      date
    );
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const entry = JSON.parse(line);
    expect(entry).toEqual({
      '@level': 'warn',
      '@message': 'hello',
      '@timestamp': '2026-11-28T10:11:12.345000Z',
      refId: 'A',
      ms: 12,
      ok: true,
      obj: '{"a":1}',
      err: 'boom',
    });
  });

  it('cannot be tricked into non-string @ keys', () => {
    const entry = JSON.parse(formatHclogLine('info', 'x', { '@level': 5, '@message': { a: 1 } }, date));
    expect(typeof entry['@level']).toBe('string');
    expect(entry['@message']).toBe('x');
  });

  it('keeps lines below 64 KiB', () => {
    const huge = 'x'.repeat(200_000);
    const line = formatHclogLine('error', huge, { body: huge, other: huge.repeat(2) }, date);
    expect(Buffer.byteLength(line)).toBeLessThan(MAX_LINE_BYTES);
    expect(JSON.parse(line)['@level']).toBe('error');
  });

  it('scrubs registered secrets from messages and fields', () => {
    registerSecret('0b8a2f7e-secret-token');
    const line = formatHclogLine(
      'info',
      'token 0b8a2f7e-secret-token sent',
      { header: 'Bearer 0b8a2f7e-secret-token' },
      date
    );
    expect(line).not.toContain('0b8a2f7e-secret-token');
    expect(scrubSecrets('a 0b8a2f7e-secret-token b')).toBe('a [redacted] b');
  });
});

describe('logger', () => {
  it('reads the level from GF_PLUGIN_LOG_LEVEL words', () => {
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel('warning')).toBe('warn');
    expect(parseLogLevel('nonsense')).toBe('info');
  });

  it('drops lines below the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => lines.push(l), now: () => date });
    log.debug('no');
    log.info('no');
    log.warn('yes');
    log.error('yes too');
    expect(lines.map((l) => JSON.parse(l)['@message'])).toEqual(['yes', 'yes too']);
    expect(log.enabled('debug')).toBe(false);
  });
});
