// Leveled logger writing hclog JSON lines to stderr; level from GF_PLUGIN_LOG_LEVEL (grafana.ini [plugin.<id>] log_level).
import { formatHclogLine, type LogFields, type LogLevel } from './hclog';

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
}

export function parseLogLevel(raw: string | undefined): LogLevel {
  const word = (raw ?? '').trim().toLowerCase();
  if (word === 'warning') {
    return 'warn';
  }
  return word in ORDER ? (word as LogLevel) : 'info';
}

export interface LoggerOptions {
  level: LogLevel;
  write: (line: string) => void;
  now?: () => Date;
}

export function createLogger(opts: LoggerOptions): Logger {
  const min = ORDER[opts.level];
  const now = opts.now ?? (() => new Date());
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (ORDER[level] < min) {
      return;
    }
    try {
      opts.write(formatHclogLine(level, message, fields, now()));
    } catch {
      // A broken stderr must never take a request down.
    }
  };
  return {
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    enabled: (level) => ORDER[level] >= min,
  };
}

function writeStderr(line: string): void {
  process.stderr.write(line);
}

/** The process-wide logger. Tests and other modules import this one. */
export const logger: Logger = createLogger({
  level: parseLogLevel(process.env.GF_PLUGIN_LOG_LEVEL),
  write: writeStderr,
});
