// Test support only: a TemplateSrv with Grafana's interpolation rules, for data source and variable tests.
import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

export interface FakeVariable {
  /** `$__all` selects every option. */
  current: string | string[];
  options?: string[];
  /** Custom all value, e.g. `*`. */
  allValue?: string;
}

export const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?::([^}]+))?}/g;

/**
 * A TemplateSrv with Grafana's interpolation rules: a custom all value is inserted unformatted, an "All"
 * without one gives every option, arrays go through the format (function, `pipe`, `csv`, default glob).
 */
export function fakeTemplateSrv(variables: Record<string, FakeVariable> = {}): TemplateSrv & { replace: jest.Mock } {
  const format = (value: string | string[], fmt: unknown): string => {
    if (typeof fmt === 'function') {
      return fmt(value);
    }
    if (!Array.isArray(value)) {
      return value;
    }
    if (fmt === 'pipe') {
      return value.join('|');
    }
    if (fmt === 'csv') {
      return value.join(',');
    }
    return value.length === 1 ? value[0] : `{${value.join(',')}}`;
  };
  const replace = jest.fn((target?: string, scopedVars?: ScopedVars, fmt?: unknown) =>
    (target ?? '').replace(VARIABLE, (match, a, b, bFmt, c, cFmt) => {
      const name: string = a ?? b ?? c;
      const scoped = scopedVars?.[name];
      if (scoped) {
        return format(scoped.value as string | string[], bFmt ?? cFmt ?? fmt);
      }
      const variable = variables[name];
      if (!variable) {
        return match;
      }
      if (variable.current === '$__all') {
        if (variable.allValue !== undefined) {
          return variable.allValue;
        }
        return format(variable.options ?? [], bFmt ?? cFmt ?? fmt);
      }
      return format(variable.current, bFmt ?? cFmt ?? fmt);
    })
  );
  return {
    replace,
    getVariables: () => [],
    containsTemplate: (t?: string) => !!t && new RegExp(VARIABLE.source).test(t),
    updateTimeRange: () => {},
  };
}
