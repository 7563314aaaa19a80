import {
  AdHocVariableFilter,
  CoreApp,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceGetTagKeysOptions,
  DataSourceGetTagValuesOptions,
  DataSourceInstanceSettings,
  DataSourceWithQueryModificationSupport,
  DataSourceWithSupplementaryQueriesSupport,
  DataSourceWithToggleableQueryFiltersSupport,
  MetricFindValue,
  QueryFilterOptions,
  QueryFixAction,
  ScopedVars,
  SupplementaryQueryOptions,
  SupplementaryQueryType,
  ToggleFilterAction,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { map, Observable, of } from 'rxjs';

import { tagKeys, tagValues } from './adHocTags';
import { CatalogDataSource, NetdataCatalog, resourceCatalog } from './catalog';
import { withExploreLinkRanges } from './exploreLinkRanges';
import {
  alertTransitionsQueryType,
  prepareAlertTransitionsQuery,
} from './queryTypes/alertTransitions/alertTransitionsQueryType';
import { AnnotationQueryEditor } from './queryTypes/alertTransitions/AnnotationQueryEditor';
import { logsVolumeQuery, logsVolumeRequest } from './queryTypes/logs/logsVolume';
import { metricsQueryType } from './queryTypes/metrics/metricsQueryType';
import { queryTypeName, queryTypeOfQuery } from './queryTypes/registry';
import type { NetdataOptions, NetdataQuery } from './types';
import { NetdataVariableSupport } from './variables/variableSupport';

/**
 * The Netdata data source: Grafana's hooks, each delegating to the query type of the query at hand
 * (`queryTypes/registry`); the Netdata look-ups editors need are the `catalog`.
 */
export class DataSource
  extends DataSourceWithBackend<NetdataQuery, NetdataOptions>
  implements
    CatalogDataSource,
    DataSourceWithQueryModificationSupport<NetdataQuery>,
    DataSourceWithSupplementaryQueriesSupport<NetdataQuery>,
    DataSourceWithToggleableQueryFiltersSupport<NetdataQuery>
{
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

  /**
   * Implements DataSourceApi.query. The request goes to the backend unchanged (public dashboards need that), except
   * that a query the dashboard's ad hoc filters cannot be applied to fails alone, with the reason, instead of
   * running unfiltered. Internal data links of the answer get their Explore range back (`withExploreLinkRanges`).
   */
  query(request: DataQueryRequest<NetdataQuery>): Observable<DataQueryResponse> {
    return this.queryFiltered(request).pipe(
      map((response) =>
        response.data?.length ? { ...response, data: withExploreLinkRanges(response.data) } : response
      )
    );
  }

  private queryFiltered(request: DataQueryRequest<NetdataQuery>): Observable<DataQueryResponse> {
    const filters = request.filters ?? [];
    const refused: DataQueryError[] = [];
    const targets = filters.length
      ? request.targets.filter((target) => {
          const problem = this.adHocProblem(target, request.scopedVars, filters);
          if (problem) {
            refused.push({ refId: target.refId, message: problem, status: 400 });
          }
          return !problem;
        })
      : request.targets;
    if (refused.length === 0) {
      return super.query(request);
    }
    if (targets.length === 0) {
      return of({ data: [], errors: refused });
    }
    return super
      .query({ ...request, targets })
      .pipe(map((response) => ({ ...response, errors: [...(response.errors ?? []), ...refused] })));
  }

  /**
   * Implements DataSourceWithBackend.applyTemplateVariables: runs for dashboards, Explore and public dashboards.
   * Ad hoc filters apply to the query types that take them (metrics); one Netdata cannot express is left out here,
   * and `query` fails that query with the reason.
   */
  applyTemplateVariables(query: NetdataQuery, scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): NetdataQuery {
    const type = queryTypeOfQuery(query);
    if (!type) {
      return query;
    }
    const out = type.interpolate(query, scopedVars, this.templateSrv);
    const filtered = filters?.length && type.applyAdHocFilters ? type.applyAdHocFilters(out, filters) : undefined;
    return filtered?.ok ? filtered.value : out;
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

  /** Implements DataSourceApi.getTagKeys (ad hoc filters): node, instance, dimension and the dashboard's labels. */
  getTagKeys(options?: DataSourceGetTagKeysOptions<NetdataQuery>): Promise<MetricFindValue[]> {
    return tagKeys(this.catalog, options);
  }

  /** Implements DataSourceApi.getTagValues (ad hoc filters). */
  getTagValues(options: DataSourceGetTagValuesOptions<NetdataQuery>): Promise<MetricFindValue[]> {
    return tagValues(this.catalog, options);
  }

  /** Implements DataSourceWithQueryModificationSupport.modifyQuery: Explore's filter for / out a label value. */
  modifyQuery(query: NetdataQuery, action: QueryFixAction): NetdataQuery {
    return queryTypeOfQuery(query)?.modifyQuery?.(query, action) ?? query;
  }

  /** Implements DataSourceWithQueryModificationSupport.getSupportedQueryModifications. */
  getSupportedQueryModifications(): string[] {
    return ['ADD_FILTER', 'ADD_FILTER_OUT'];
  }

  /** Implements DataSourceWithToggleableQueryFiltersSupport.toggleQueryFilter. */
  toggleQueryFilter(query: NetdataQuery, filter: ToggleFilterAction): NetdataQuery {
    return queryTypeOfQuery(query)?.toggleFilter?.(query, filter) ?? query;
  }

  /** Implements DataSourceWithToggleableQueryFiltersSupport.queryHasFilter. */
  queryHasFilter(query: NetdataQuery, filter: QueryFilterOptions): boolean {
    return queryTypeOfQuery(query)?.hasFilter?.(query, filter) ?? false;
  }

  /** Implements DataSourceWithSupplementaryQueriesSupport: Explore's logs volume, from the journal's histogram. */
  getSupportedSupplementaryQueryTypes(): SupplementaryQueryType[] {
    return [SupplementaryQueryType.LogsVolume];
  }

  /** Implements DataSourceWithSupplementaryQueriesSupport.getSupplementaryQuery (logs queries only). */
  getSupplementaryQuery(options: SupplementaryQueryOptions, query: NetdataQuery): NetdataQuery | undefined {
    return logsVolumeQuery(options, query);
  }

  /** Implements DataSourceWithSupplementaryQueriesSupport.getSupplementaryRequest. */
  getSupplementaryRequest(
    type: SupplementaryQueryType,
    request: DataQueryRequest<NetdataQuery>
  ): DataQueryRequest<NetdataQuery> | undefined {
    return logsVolumeRequest(type, request);
  }

  /** Implements DataSourceApi.getQueryDisplayText (query history, alert rule list). */
  getQueryDisplayText(query: NetdataQuery): string {
    return queryTypeOfQuery(query)?.displayText(query) ?? `unknown query type ${queryTypeName(query)}`;
  }

  /** Why the ad hoc filters cannot be applied to this query, if they cannot. */
  private adHocProblem(
    query: NetdataQuery,
    scopedVars: ScopedVars,
    filters: AdHocVariableFilter[]
  ): string | undefined {
    const type = queryTypeOfQuery(query);
    if (query.hide || !type?.applyAdHocFilters) {
      return undefined;
    }
    const result = type.applyAdHocFilters(type.interpolate(query, scopedVars, this.templateSrv), filters);
    return result.ok ? undefined : result.error;
  }
}
