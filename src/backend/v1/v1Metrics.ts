// A metrics query on a Netdata 1.37 agent (v1 mode, netdata-api-extra.md §4.7): the nodes and charts it covers,
// one `/api/v1/data` per chart (bounded concurrency), the plugin's group-by and aggregation, then the v2 path's
// frames. What v1 cannot answer fails the query, naming the feature and the version that has it.
import { json2ToFrames } from '../../netdata/frames';
import { combineV1 } from '../../netdata/v1/combine';
import { parseV1Data } from '../../netdata/v1/parse';
import {
  buildV1DataPath,
  noDimensionError,
  planV1Targets,
  selectV1Nodes,
  v1Unsupported,
  V1QueryError,
  type V1Target,
} from '../../netdata/v1/plan';
import type { V1DataAnswer, V1Info } from '../../netdata/v1/types';
import type { Frame, NetdataQueryModel, QueryWindow } from '../../netdata/types';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import { mapLimit, nodeFailure, V1_CONCURRENCY, v1Charts } from './v1Charts';

/** Paths shown as the executed query (Grafana's query inspector); the rest are counted. */
const SHOWN_PATHS = 20;

function queryError(message: string): NetdataRequestError {
  return new NetdataRequestError('bad-query', message, 400, 'plugin');
}

function dataFailure(err: unknown, target: V1Target): unknown {
  const node = nodeFailure(err, target.node, 'data');
  if (node !== err) {
    return node;
  }
  if (err instanceof NetdataRequestError && err.kind === 'http' && err.upstreamStatus === 404) {
    return new NetdataRequestError(
      'http',
      `Chart ${target.chart.id} of node ${target.node.hostname}: Netdata matched nothing (404: ${err.message})`,
      404,
      'downstream',
      404
    );
  }
  return err;
}

/** The chart's answer; undefined when a probed chart (hidden dimensions only) has none of the filter's dimensions. */
async function fetchAnswer(
  inst: DataSourceInstance,
  target: V1Target,
  path: string,
  opts: RequestOptions
): Promise<V1DataAnswer | undefined> {
  let body: unknown;
  try {
    body = await inst.client.getJson(path, opts);
  } catch (err) {
    if (target.probe && err instanceof NetdataRequestError && err.kind === 'http' && err.upstreamStatus === 404) {
      return undefined;
    }
    throw dataFailure(err, target);
  }
  const answer = parseV1Data(body);
  if (!answer.ok) {
    throw new NetdataRequestError(
      'body',
      `Netdata answered /api/v1/data for chart ${target.chart.id} of node ${target.node.hostname} with an ` +
        `unexpected document: ${answer.error}`,
      502,
      'downstream'
    );
  }
  return answer.value;
}

export interface V1QueryRun {
  frames: Frame[];
  /** Every request made, in target order: the integration tests compare these answers with the frames. */
  paths: string[];
}

/** Plans, fetches and combines; throws NetdataRequestError (the caller turns it into the query's error). */
export async function runV1Metrics(
  inst: DataSourceInstance,
  v1: V1Info,
  model: NetdataQueryModel,
  window: QueryWindow,
  refId: string,
  opts: RequestOptions,
  netdataTimeoutMs: number
): Promise<V1QueryRun> {
  const unsupported = v1Unsupported(model);
  if (unsupported !== undefined) {
    throw new NetdataRequestError('too-old', unsupported, 501, 'plugin');
  }
  let targets: V1Target[];
  try {
    const nodes = selectV1Nodes(model, v1.nodes);
    const chartsByNode = await mapLimit(nodes, V1_CONCURRENCY, async (node) => ({
      node,
      charts: await v1Charts(inst.client, node, opts),
    }));
    targets = planV1Targets(model, chartsByNode);
  } catch (err) {
    throw err instanceof V1QueryError ? queryError(err.message) : err;
  }
  let paths: string[];
  try {
    paths = targets.map((t) => buildV1DataPath(model, t, window, { timeoutMs: netdataTimeoutMs }));
  } catch (err) {
    throw queryError(err instanceof Error ? err.message : String(err));
  }
  const fetched = await mapLimit(
    targets.map((t, i) => i),
    V1_CONCURRENCY,
    (i) => fetchAnswer(inst, targets[i], paths[i], opts)
  );
  const answered = targets.flatMap((t, i) => {
    const answer = fetched[i];
    return answer === undefined || answer.dimensionNames.length === 0 ? [] : [{ target: t, answer }];
  });
  if (answered.length === 0 && model.dimensions.length > 0) {
    throw queryError(noDimensionError(model, [...new Set(targets.map((t) => t.node))]).message);
  }
  const json2 = combineV1(
    model,
    answered.map((a) => a.target),
    answered.map((a) => a.answer)
  );
  const shown = paths.slice(0, SHOWN_PATHS).join('\n');
  const executedQueryString =
    paths.length > SHOWN_PATHS ? `${shown}\n… and ${paths.length - SHOWN_PATHS} more /api/v1/data requests` : shown;
  const frames = json2ToFrames(json2, { refId, query: model, executedQueryString });
  return { frames, paths };
}
