import type { NetdataQuery } from '../../types';

/** One readable line for query history and the alert rule list, naming only what differs from Netdata's defaults. */
export function queryDisplayText(query: NetdataQuery): string {
  const parts = [query.context?.trim() || '(no context)'];
  const list = (name: string, values: string[] | undefined) => {
    if (values?.length) {
      parts.push(`${name}: ${values.join(', ')}`);
    }
  };
  list('nodes', query.nodes);
  list('instances', query.instances);
  list('dimensions', query.dimensions);
  list(
    'labels',
    query.labels?.map((l) => `${l.key}:${l.value}`)
  );

  const groupBy = query.groupBy?.length ? [...query.groupBy] : ['dimension'];
  if (groupBy.includes('label') && query.groupByLabels?.length) {
    groupBy.splice(groupBy.indexOf('label'), 1, `label (${query.groupByLabels.join(', ')})`);
  }
  parts.push(`${query.aggregation ?? 'avg'} by ${groupBy.join(', ')}`);

  const timeGroup = query.timeGroup ?? 'average';
  if (timeGroup !== 'average' || query.timeGroupOptions) {
    parts.push(`time: ${timeGroup}${query.timeGroupOptions ? ` ${query.timeGroupOptions}` : ''}`);
  }
  if (query.tier !== undefined && query.tier !== null) {
    parts.push(`tier ${query.tier}`);
  }
  const extras = [
    query.percentage ? '% of row total' : undefined,
    query.nonZero ? 'non-zero only' : undefined,
    typeof query.limit === 'number' && query.limit > 0 ? `top ${query.limit}` : undefined,
    query.anomalyRate ? 'anomaly rate' : undefined,
  ].filter(Boolean);
  if (extras.length) {
    parts.push(extras.join(', '));
  }
  if (query.spaceId || query.roomId) {
    parts.push(`space/room: ${query.spaceId || 'default'}/${query.roomId || 'default'}`);
  }
  if (query.legendFormat) {
    parts.push(`legend: ${query.legendFormat}`);
  }
  return parts.join(' · ');
}
