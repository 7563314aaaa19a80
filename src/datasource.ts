import { AdHocVariableFilter, CoreApp, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, TemplateSrv } from '@grafana/runtime';

import { CatalogDataSource, NetdataCatalog, resourceCatalog } from './catalog';
import {
  alertTransitionsQueryType,
  prepareAlertTransitionsQuery,
} from './queryTypes/alertTransitions/alertTransitionsQueryType';
import { AnnotationQueryEditor } from './queryTypes/alertTransitions/AnnotationQueryEditor';
import { metricsQueryType } from './queryTypes/metrics/metricsQueryType';
import { queryTypeName, queryTypeOfQuery } from './queryTypes/registry';
import type { NetdataOptions, NetdataQuery } from './types';
import { NetdataVariableSupport } from './variables/variableSupport';

/**
 * The Netdata data source: Grafana's hooks, each delegating to the query type of the query at hand
 * (`queryTypes/registry`); the Netdata look-ups editors need are the `catalog`.
 */
export class DataSource extends DataSourceWithBackend<NetdataQuery, NetdataOptions> implements CatalogDataSource {
  readonly catalog: NetdataCatalog;

  constructor(
    instanceSettings: DataSourceInstanceSettings<NetdataOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super(instanceSettings);
    const jsonData = instanceSettings.jsonData ?? {};
    // getResource is read at call time, so tests (and Grafana) may replace it after construction.
    this.catalog = resourceCatalog((route, params, options) => this.getResource(route, params, options), templateSrv, {
      transport: jsonData.transport === 'cloud' ? 'cloud' : 'agent',
      defaultSpaceId: jsonData.spaceId || undefined,
      defaultRoomId: jsonData.roomId || undefined,
    });
    this.variables = new NetdataVariableSupport(this.catalog, templateSrv);
    // Alert transitions as annotations: the backend answers a frame with time, title, text and tags fields, which
    // Grafana's standard annotation processing maps by name.
    this.annotations = {
      QueryEditor: AnnotationQueryEditor,
      getDefaultQuery: () => alertTransitionsQueryType.defaultQuery(CoreApp.Dashboard),
      prepareQuery: (anno) => prepareAlertTransitionsQuery(anno.target),
    };
  }

  /** Implements DataSourceApi.filterQuery: hidden queries and queries their type cannot run never reach the backend. */
  filterQuery(query: NetdataQuery): boolean {
    // An unknown type goes through, for the backend to fail that query alone with a message naming the type.
    return !query.hide && (queryTypeOfQuery(query)?.isRunnable(query) ?? true);
  }

  /** Implements DataSourceApi.getDefaultQuery: new queries are metrics queries of a chart every Netdata has. */
  getDefaultQuery(app: CoreApp): Partial<NetdataQuery> {
    return metricsQueryType.defaultQuery(app);
  }

  /** Implements DataSourceWithBackend.applyTemplateVariables: runs for dashboards, Explore and public dashboards. */
  applyTemplateVariables(query: NetdataQuery, scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): NetdataQuery {
    return queryTypeOfQuery(query)?.interpolate(query, scopedVars, this.templateSrv, filters) ?? query;
  }

  /**
   * Implements DataSourceApi.interpolateVariablesInQueries ("Explore" from a panel, query inspector): the query
   * keeps every saved choice, with dashboard variables resolved, and points at this data source.
   */
  interpolateVariablesInQueries(
    queries: NetdataQuery[],
    scopedVars: ScopedVars,
    filters?: AdHocVariableFilter[]
  ): NetdataQuery[] {
    return queries.map((query) => ({
      ...this.applyTemplateVariables(query, scopedVars, filters),
      datasource: this.getRef(),
    }));
  }

  /** Implements DataSourceApi.getQueryDisplayText (query history, alert rule list). */
  getQueryDisplayText(query: NetdataQuery): string {
    return queryTypeOfQuery(query)?.displayText(query) ?? `unknown query type ${queryTypeName(query)}`;
  }
}
