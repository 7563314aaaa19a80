/** @jest-environment node */
import { createLogger } from './logger';
import { guardStdout } from './stdoutGuard';

describe('guardStdout', () => {
  const savedWrite = process.stdout.write;
  const savedConsole = { ...console };
  afterEach(() => {
    process.stdout.write = savedWrite;
    Object.assign(console, savedConsole);
  });

  it('sends console output and stray stdout writes to the logger, leaving one handshake write', () => {
    const lines: string[] = [];
    const written: string[] = [];
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    const handshake = guardStdout(createLogger({ level: 'debug', write: (l) => lines.push(l) }));
    console.log('hello %s', 'world');
    console.error('bad');
    process.stdout.write('stray');
    handshake('1|2|unix|/tmp/plugin1|grpc\n');
    expect(written).toEqual(['1|2|unix|/tmp/plugin1|grpc\n']);
    expect(() => handshake('again\n')).toThrow(/only be written once/);
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => [e['@level'], e['@message']])).toEqual([
      ['info', 'hello world'],
      ['error', 'bad'],
      ['debug', 'stdout write redirected'],
    ]);
    expect(entries[2].text).toBe('stray');
  });
});
