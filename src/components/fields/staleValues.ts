import type { LabelFilter } from '../../netdata/types';

/**
 * A value that names one thing: no Netdata pattern syntax (`*`, `!`, `,`, `|`), no dashboard variable, no
 * `id@node` composite. Only such values can be checked against what the chosen nodes report.
 */
export function isPlainName(value: string): boolean {
  return value !== '' && !/[*!,|$@]|\[\[/.test(value);
}

/**
 * Saved plain values the loaded list lacks: after a node, space or room change they would select nothing, so the
 * editor marks them (it keeps them: the nodes may be offline, and clearing would lose the user's choice silently).
 * Undefined `known` (still loading, or the look-up failed) marks nothing.
 */
export function staleValues(values: readonly string[] | undefined, known: readonly string[] | undefined): string[] {
  if (!values?.length || !known) {
    return [];
  }
  const set = new Set(known);
  return values.filter((v) => isPlainName(v) && !set.has(v));
}

/** Label filters whose key or value the context does not report on the chosen nodes. */
export function staleLabels(
  labels: readonly LabelFilter[] | undefined,
  known: Readonly<Record<string, readonly string[]>> | undefined
): LabelFilter[] {
  if (!labels?.length || !known) {
    return [];
  }
  return labels.filter((l) => isPlainName(l.key) && isPlainName(l.value) && !(known[l.key] ?? []).includes(l.value));
}

/** The field error for marked values, or undefined when there are none. */
export function staleMessage(
  values: readonly string[],
  where = 'for this context on the chosen nodes'
): string | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const list = values.map((v) => `"${v}"`).join(', ');
  return `Not reported ${where}, so it selects nothing: ${list}`;
}

/** Description of a marked value in the picker. */
export const STALE_DESCRIPTION = 'Not on the chosen nodes';
