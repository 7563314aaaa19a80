import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

import { interpolateList, interpolateQuery } from '../templateVariables';
import type { NetdataQuery } from '../types';

/**
 * Dashboard variables in the scope the insight query types share (nodes, labels, space, room) and in their
 * patterns (`contexts`, `alert`): a multi-value variable becomes one pattern, `a|b`.
 */
export function interpolateScope(query: NetdataQuery, scopedVars: ScopedVars, templateSrv: TemplateSrv): NetdataQuery {
  const out = interpolateQuery(query, scopedVars, templateSrv);
  const pattern = (text: string | undefined) =>
    text === undefined ? undefined : interpolateList([text], scopedVars, templateSrv)?.join('|');
  if (query.contexts !== undefined) {
    out.contexts = pattern(query.contexts);
  }
  if (query.alert !== undefined) {
    out.alert = pattern(query.alert);
  }
  return out;
}

/** Display text of a saved query its type cannot read: the backend fails it with the same message. */
export function invalidText(label: string, error: string): string {
  return `${label} (invalid: ${error})`;
}
