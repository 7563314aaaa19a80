// Memory of a child process as the kernel counts it (Linux /proc): current and peak resident set size.
import { readFileSync } from 'node:fs';

function statusKiB(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!m) {
    throw new Error(`no ${key} for pid ${pid}`);
  }
  return Number(m[1]);
}

export const rssMiB = (pid: number): number => statusKiB(pid, 'VmRSS') / 1024;
/** High-water mark of the resident set since the process started. */
export const peakRssMiB = (pid: number): number => statusKiB(pid, 'VmHWM') / 1024;

/**
 * Private (anonymous) resident memory: the heap, stacks and buffers of this process alone. The rest of the RSS is
 * file pages of the executable and its libraries, shared with every process that maps them.
 */
export function anonymousMiB(pid: number): number {
  const m = /^Anonymous:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  if (!m) {
    throw new Error(`no Anonymous in smaps_rollup for pid ${pid}`);
  }
  return Number(m[1]) / 1024;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
