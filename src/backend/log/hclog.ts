// One hclog JSON line, the format go-plugin parses from a plugin's stderr (grafana-backend-protocol.md §1.4).
import { scrubSecrets } from './secrets';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

/** go-plugin reads stderr with a 64 KiB line buffer; longer lines are split and lose their level. */
export const MAX_LINE_BYTES = 60 * 1024;
const MAX_MESSAGE_CHARS = 8 * 1024;
const MAX_FIELD_CHARS = 2 * 1024;

/** Go layout `2006-01-02T15:04:05.000000Z07:00`: exactly six fractional digits. */
export function hclogTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function fieldValue(value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : String(value);
  }
  if (value instanceof Error) {
    return value.message;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…(truncated)` : text;
}

function render(level: LogLevel, message: string, fields: LogFields, date: Date, limit: number | undefined): string {
  // The three @ keys MUST be strings: go-plugin type-asserts them and a non-string panics Grafana.
  const entry: Record<string, string | number | boolean> = {
    '@level': level,
    '@message': limit === undefined ? message : clip(message, limit),
    '@timestamp': hclogTimestamp(date),
  };
  for (const [key, raw] of Object.entries(fields)) {
    if (raw === undefined || key.startsWith('@')) {
      continue;
    }
    const value = fieldValue(raw);
    entry[key] =
      typeof value === 'string' ? scrubSecrets(limit === undefined ? value : clip(value, MAX_FIELD_CHARS)) : value;
  }
  entry['@message'] = scrubSecrets(String(entry['@message']));
  return JSON.stringify(entry);
}

export function formatHclogLine(level: LogLevel, message: string, fields: LogFields = {}, date = new Date()): string {
  let line = render(level, message, fields, date, undefined);
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
    line = render(level, message, fields, date, MAX_MESSAGE_CHARS);
  }
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
    line = render(level, message, { truncated: true }, date, MAX_MESSAGE_CHARS);
  }
  return line + '\n';
}
