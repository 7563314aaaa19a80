import { CustomVariableSupport, DataQueryRequest, DataQueryResponse, MetricFindValue, ScopedVars } from '@grafana/data';
import { getTemplateSrv, isFetchError, TemplateSrv } from '@grafana/runtime';
import { from, map, Observable } from 'rxjs';

import type { CatalogDataSource, NetdataCatalog } from '../catalog';
import type { ContextDetails } from '../netdata/contextDetails';
import type { NodeSummary } from '../netdata/catalog';
import { CloudTarget, resourceErrorMessage } from '../resources';
import { interpolateList } from '../templateVariables';
import type { NetdataOptions, NetdataQuery, NetdataVariableKind, NetdataVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';
import {
  DEFAULT_VARIABLE_QUERY,
  escapeRegex,
  isPatternItem,
  isRegexFilter,
  MAX_VARIABLE_CONTEXTS,
  simplePatternMatches,
  textFilter,
  toVariableQuery,
  variableKindInfo,
} from './variableQuery';

/**
 * Query variables: nodes, contexts, and the dimensions, instances, label keys and label values of a context. Every
 * string of the variable query is interpolated with the request's scoped variables, so variables chain (`$node`
 * feeding a contexts variable; a multi-value `$node` means several nodes).
 */
export class NetdataVariableSupport extends CustomVariableSupport<
  CatalogDataSource,
  NetdataVariableQuery,
  NetdataQuery,
  NetdataOptions
> {
  editor = VariableQueryEditor;

  constructor(
    private readonly catalog: NetdataCatalog,
    private readonly templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super();
  }

  // Grafana types this with the panel query type, but hands it to the variable editor and query().
  getDefaultQuery(): Partial<NetdataQuery> {
    return { ...DEFAULT_VARIABLE_QUERY } as Partial<NetdataQuery>;
  }

  query(request: DataQueryRequest<NetdataVariableQuery>): Observable<DataQueryResponse> {
    return from(this.values(request.targets[0], request.scopedVars ?? {})).pipe(map((data) => ({ data })));
  }

  /** The variable's options. A saved query may be the text form or an object (see `toVariableQuery`). */
  async values(saved: unknown, scopedVars: ScopedVars): Promise<MetricFindValue[]> {
    const parsed = toVariableQuery(saved);
    if (!parsed.ok) {
      throw new Error(parsed.error);
    }
    const q = parsed.value;
    const keep = textFilter(this.interpolateFilter(q.filter, scopedVars));
    const target = this.target(q, scopedVars);
    const nodes = interpolateList(q.nodes ?? [], scopedVars, this.templateSrv) ?? [];
    try {
      switch (q.kind) {
        case 'nodes': {
          const list = await this.catalog.nodes(target);
          return list.filter((n) => keep(n.hostname)).map((n) => ({ text: n.hostname, value: this.nodeValue(n) }));
        }
        case 'contexts': {
          const list = await this.catalog.contexts(nodes, target);
          return texts(list.map((c) => c.id).filter(keep));
        }
        default: {
          const details = await this.contextDetails(q, scopedVars, nodes, target);
          return texts(detailValues(q.kind, details, this.labelKeys(q, scopedVars)).filter(keep));
        }
      }
    } catch (err) {
      throw err instanceof Error ? err : new Error(resourceErrorMessage(err));
    }
  }

  /**
   * The node id a query's Nodes field takes: Cloud puts plain node UUIDs in its scope (and rejects machine GUIDs
   * there), while an agent matches the machine GUID of every node it knows, claimed or not.
   */
  private nodeValue(n: NodeSummary): string {
    return this.catalog.transport === 'cloud' ? (n.nodeId ?? n.id) : n.machineGuid || n.id;
  }

  private target(q: NetdataVariableQuery, scopedVars: ScopedVars): CloudTarget {
    if (this.catalog.transport !== 'cloud') {
      return {};
    }
    const one = (text?: string) => (text ? this.templateSrv.replace(text, scopedVars).trim() || undefined : undefined);
    return { spaceId: one(q.spaceId), roomId: one(q.roomId) };
  }

  /** A `/regex/` gets regex-escaped values (`(a|b)` for several); a Netdata pattern gets `a|b`. */
  private interpolateFilter(filter: string | undefined, scopedVars: ScopedVars): string | undefined {
    if (!filter?.trim()) {
      return undefined;
    }
    const regex = isRegexFilter(filter);
    return this.templateSrv.replace(filter, scopedVars, (value: unknown) => {
      const values = (Array.isArray(value) ? value : [value]).map((v) =>
        v === undefined || v === null ? '' : String(v)
      );
      if (!regex) {
        return values.join('|');
      }
      const escaped = values.map(escapeRegex);
      return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
    });
  }

  private labelKeys(q: NetdataVariableQuery, scopedVars: ScopedVars): string[] {
    return interpolateList(q.labelKey ? [q.labelKey] : [], scopedVars, this.templateSrv) ?? [];
  }

  /**
   * The details of every context the variable names: a multi-value context variable gives several, a pattern
   * (`disk.*`, `!disk.sda,disk.*`) those of the chosen nodes it matches. A context the chosen nodes do not collect
   * has no values (a chained `$node` may point at a node without disks), rather than failing the variable.
   */
  private async contextDetails(
    q: NetdataVariableQuery,
    scopedVars: ScopedVars,
    nodes: string[],
    target: CloudTarget
  ): Promise<ContextDetails[]> {
    const items = (interpolateList(q.context ? [q.context] : [], scopedVars, this.templateSrv) ?? [])
      .flatMap((c) => c.split(/[|,]/))
      .map((c) => c.trim())
      .filter((c, i, all) => c !== '' && all.indexOf(c) === i);
    if (items.length === 0) {
      throw new Error(`Choose a context: ${variableKindInfo(q.kind).label.toLowerCase()} belong to a context`);
    }
    if (q.kind === 'labelValues' && !q.labelKey?.trim()) {
      throw new Error('Choose the label key whose values to list');
    }
    let contexts = items;
    if (items.some(isPatternItem)) {
      const all = await this.catalog.contexts(nodes, target);
      contexts = all.map((c) => c.id).filter((id) => simplePatternMatches(items, id));
    }
    if (contexts.length > MAX_VARIABLE_CONTEXTS) {
      throw new Error(
        `"${items.join('|')}" names ${contexts.length} contexts; a variable reads at most ${MAX_VARIABLE_CONTEXTS}. ` +
          'Use a narrower pattern or fewer values'
      );
    }
    const details = await Promise.all(
      contexts.map((c) =>
        this.catalog.context(c, nodes, target).catch((err: unknown) => {
          if (isFetchError(err) && err.status === 404) {
            return undefined;
          }
          throw new Error(resourceErrorMessage(err));
        })
      )
    );
    return details.filter((d): d is ContextDetails => d !== undefined);
  }
}

function detailValues(kind: NetdataVariableKind, details: ContextDetails[], labelKeys: string[]): string[] {
  switch (kind) {
    case 'dimensions':
      return unique(details.flatMap((d) => d.dimensions));
    case 'instances':
      return unique(details.flatMap((d) => d.instances));
    case 'labelKeys':
      // Netdata's own labels (`_collect_plugin`, …) after the collector's, as in the query editor.
      return unique(details.flatMap((d) => Object.keys(d.labels))).sort(
        (a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b)
      );
    case 'labelValues':
      return unique(details.flatMap((d) => labelKeys.flatMap((k) => d.labels[k] ?? []))).sort((a, b) =>
        a.localeCompare(b, undefined, { numeric: true })
      );
    default:
      return [];
  }
}

function texts(values: string[]): MetricFindValue[] {
  return values.map((v) => ({ text: v, value: v }));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
