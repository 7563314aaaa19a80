import { DataFrame, DataLink, dateTime } from '@grafana/data';

import { exploreLinkRange } from './netdata/netdataLinks';

/**
 * The frames with every internal data link's Explore range restored. The backend writes the range as `timeRange`
 * (the Go SDK's name, the only one the frames' JSON field config carries through Grafana); Grafana's link code reads
 * `internal.range`. Without this, "Explore this series" would open the panel's range instead of highlight + baseline.
 */
export function withExploreLinkRanges(frames: DataFrame[]): DataFrame[] {
  return frames.map((frame) => {
    if (!frame.fields.some((field) => field.config?.links?.some((link) => exploreLinkRange(link)))) {
      return frame;
    }
    return {
      ...frame,
      fields: frame.fields.map((field) =>
        field.config?.links
          ? { ...field, config: { ...field.config, links: field.config.links.map(withRange) } }
          : field
      ),
    };
  });
}

function withRange(link: DataLink): DataLink {
  const range = exploreLinkRange(link);
  if (!range || !link.internal) {
    return link;
  }
  const from = dateTime(range.fromMs);
  const to = dateTime(range.toMs);
  return { ...link, internal: { ...link.internal, range: { from, to, raw: { from, to } } } };
}
