import { DataFrame, DataQueryResponse, Field, FieldType, renderLegendFormat } from '@grafana/data';

import { ANOMALY_RATE_SERIES_TYPE } from './netdata/frames';

/**
 * Names the series of queries that have a legend template: each number field gets `displayNameFromDS` rendered
 * from its labels (`{{dimension}} on {{node}}`). Queries without a template keep the backend's automatic names.
 * A template that renders to nothing keeps the automatic name too, so a series never goes nameless. Besides the
 * labels, `{{name}}` gives the automatic name. Anomaly-rate series (label `series_type`) get " anomaly rate" appended.
 */
export function applyLegendFormats(
  response: DataQueryResponse,
  legendByRefId: ReadonlyMap<string, string>
): DataQueryResponse {
  if (legendByRefId.size === 0 || !Array.isArray(response.data)) {
    return response;
  }
  let changed = false;
  const data = response.data.map((frame: unknown) => {
    if (!isDataFrame(frame) || frame.refId === undefined) {
      return frame;
    }
    const legend = legendByRefId.get(frame.refId);
    if (!legend) {
      return frame;
    }
    changed = true;
    return { ...frame, fields: frame.fields.map((field) => nameField(field, legend)) };
  });
  return changed ? { ...response, data } : response;
}

function nameField(field: Field, legend: string): Field {
  if (field.type !== FieldType.number) {
    return field;
  }
  // `{{name}}` is the automatic name (Netdata's own plugin saved legends with it).
  const auto = field.config?.displayNameFromDS ?? field.name;
  const rendered = renderLegendFormat(legend, { name: auto, ...field.labels });
  if (rendered.trim() === '') {
    return field;
  }
  // An anomaly-rate series renders the same template as its value series: keep the two apart, unless the
  // template itself names the series type.
  const anomalyRate =
    field.labels?.series_type === ANOMALY_RATE_SERIES_TYPE && !/\{\{\s*series_type\s*\}\}/.test(legend);
  const name = anomalyRate ? `${rendered} anomaly rate` : rendered;
  return { ...field, config: { ...field.config, displayNameFromDS: name } };
}

function isDataFrame(value: unknown): value is DataFrame {
  return typeof value === 'object' && value !== null && Array.isArray((value as DataFrame).fields);
}
