// After the handshake line, Grafana reads stdout and throws it away, and any byte written there before the
// handshake breaks it. So stdout belongs to the handshake alone; console output goes to the stderr logger.
import { format } from 'node:util';
import type { Logger } from './logger';

export type HandshakeWriter = (line: string) => void;

/** Redirects console.* and process.stdout.write to the logger; returns the only way left to write to stdout. */
export function guardStdout(log: Logger): HandshakeWriter {
  const stdout = process.stdout;
  const realWrite = stdout.write.bind(stdout) as (chunk: string) => boolean;
  Object.assign(console, {
    log: (...args: unknown[]) => log.info(format(...args)),
    info: (...args: unknown[]) => log.info(format(...args)),
    debug: (...args: unknown[]) => log.debug(format(...args)),
    trace: (...args: unknown[]) => log.debug(format(...args)),
    warn: (...args: unknown[]) => log.warn(format(...args)),
    error: (...args: unknown[]) => log.error(format(...args)),
  });
  stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    log.debug('stdout write redirected', { text: typeof chunk === 'string' ? chunk : String(chunk) });
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    cb?.();
    return true;
  }) as typeof stdout.write;
  let used = false;
  return (line: string) => {
    if (used) {
      throw new Error('the handshake line can only be written once');
    }
    used = true;
    realWrite(line);
  };
}
