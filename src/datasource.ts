import { AdHocVariableFilter, CoreApp, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, TemplateSrv } from '@grafana/runtime';

import type { ContextSummary, NodeSummary } from './netdata/catalog';
import type { ContextDetails } from './netdata/contextDetails';
import { queryDisplayText } from './queryDisplayText';
import { migrateNetdataQuery } from './queryMigration';
import {
  CloudTarget,
  fetchContextDetails,
  fetchContexts,
  fetchNodes,
  fetchRooms,
  fetchSpaces,
  NamedItem,
  ResourceGet,
} from './resources';
import { interpolateList, interpolateQuery } from './templateVariables';
import { DEFAULT_ALERTING_QUERY, DEFAULT_QUERY, NetdataOptions, NetdataQuery, Transport } from './types';
import { NetdataVariableSupport } from './variables';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { DEFAULT_ALERT_STATUSES } from './netdata/alertTransitions';
import { ALERT_TRANSITIONS_QUERY_TYPE } from './netdata/queryType';

const LOOKUP_TTL_MS = 60_000;

export class DataSource extends DataSourceWithBackend<NetdataQuery, NetdataOptions> {
  readonly transport: Transport;
  readonly defaultSpaceId?: string;
  readonly defaultRoomId?: string;

  constructor(
    instanceSettings: DataSourceInstanceSettings<NetdataOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super(instanceSettings);
    const jsonData = instanceSettings.jsonData ?? {};
    this.transport = jsonData.transport === 'cloud' ? 'cloud' : 'agent';
    this.defaultSpaceId = jsonData.spaceId || undefined;
    this.defaultRoomId = jsonData.roomId || undefined;
    this.variables = new NetdataVariableSupport(this, templateSrv);
    // Alert transitions as annotations: the backend answers a frame with time, title, text and tags fields, which
    // Grafana's standard annotation processing maps by name.
    this.annotations = {
      QueryEditor: AnnotationQueryEditor,
      getDefaultQuery: () => ({ queryType: ALERT_TRANSITIONS_QUERY_TYPE, alertStatuses: [...DEFAULT_ALERT_STATUSES] }),
      prepareQuery: (anno) =>
        anno.target
          ? { ...anno.target, refId: anno.target.refId || 'Anno', queryType: ALERT_TRANSITIONS_QUERY_TYPE }
          : undefined,
    };
  }

  /** Implements DataSourceApi.filterQuery: hidden queries and queries without a context never reach the backend. */
  filterQuery(query: NetdataQuery): boolean {
    if (query.queryType === ALERT_TRANSITIONS_QUERY_TYPE) {
      // Alert queries need no context: empty filters mean every alert.
      return !query.hide;
    }
    return !query.hide && !!migrateNetdataQuery(query).context?.trim();
  }

  /** Implements DataSourceApi.getDefaultQuery: new queries start with a chart every Netdata has. */
  getDefaultQuery(app: CoreApp): Partial<NetdataQuery> {
    const alerting = app === CoreApp.UnifiedAlerting || app === CoreApp.CloudAlerting;
    return structuredCopy(alerting ? DEFAULT_ALERTING_QUERY : DEFAULT_QUERY);
  }

  /**
   * Implements DataSourceWithBackend.applyTemplateVariables: runs for dashboards, Explore and public dashboards.
   * Queries saved in an earlier shape are migrated first, so their variables are resolved too.
   */
  applyTemplateVariables(query: NetdataQuery, scopedVars: ScopedVars): NetdataQuery {
    if (query.queryType === ALERT_TRANSITIONS_QUERY_TYPE) {
      const out = interpolateQuery(query, scopedVars, this.templateSrv);
      return query.alert ? { ...out, alert: this.templateSrv.replace(query.alert, scopedVars) } : out;
    }
    return interpolateQuery(migrateNetdataQuery(query), scopedVars, this.templateSrv);
  }

  /**
   * Implements DataSourceApi.interpolateVariablesInQueries ("Explore" from a panel, query inspector): the query
   * keeps every saved choice, with dashboard variables resolved, and points at this data source.
   */
  interpolateVariablesInQueries(
    queries: NetdataQuery[],
    scopedVars: ScopedVars,
    _filters?: AdHocVariableFilter[]
  ): NetdataQuery[] {
    return queries.map((query) => ({ ...this.applyTemplateVariables(query, scopedVars), datasource: this.getRef() }));
  }

  /** Implements DataSourceApi.getQueryDisplayText (query history, alert rule list). */
  getQueryDisplayText(query: NetdataQuery): string {
    return queryDisplayText(migrateNetdataQuery(query));
  }

  getNodes(target: CloudTarget = {}): Promise<NodeSummary[]> {
    return fetchNodes(this.get, this.interpolateTarget(target));
  }

  getContexts(nodes: string[] = [], target: CloudTarget = {}): Promise<ContextSummary[]> {
    return fetchContexts(this.get, this.interpolateNodes(nodes), this.interpolateTarget(target));
  }

  getContextDetails(
    context: string,
    nodes: string[] = [],
    target: CloudTarget = {}
  ): Promise<ContextDetails | undefined> {
    return fetchContextDetails(
      this.get,
      this.templateSrv.replace(context, undefined, 'pipe'),
      this.interpolateNodes(nodes),
      this.interpolateTarget(target)
    );
  }

  getSpaces(): Promise<NamedItem[]> {
    return fetchSpaces(this.get);
  }

  getRooms(spaceId: string): Promise<NamedItem[]> {
    return fetchRooms(this.get, this.templateSrv.replace(spaceId));
  }

  private readonly lookups = new Map<string, { at: number; answer: Promise<unknown> }>();

  /**
   * Editor look-ups: nodes and contexts change slowly, so every editor on a dashboard shares one answer for a
   * minute; failures are not kept. Errors show in the editor, not as a Grafana toast.
   */
  private readonly get: ResourceGet = (route, params) => {
    const key = `${route}?${JSON.stringify(params)}`;
    const cached = this.lookups.get(key);
    if (cached && Date.now() - cached.at < LOOKUP_TTL_MS) {
      return cached.answer;
    }
    const answer = this.getResource(route, params, { showErrorAlert: false });
    this.lookups.set(key, { at: Date.now(), answer });
    answer.catch(() => this.lookups.delete(key));
    return answer;
  };

  private interpolateNodes(nodes: string[]): string[] {
    return interpolateList(nodes, {}, this.templateSrv) ?? [];
  }

  private interpolateTarget(target: CloudTarget): CloudTarget {
    return {
      spaceId: target.spaceId ? this.templateSrv.replace(target.spaceId) : undefined,
      roomId: target.roomId ? this.templateSrv.replace(target.roomId) : undefined,
    };
  }
}

function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
