import React from 'react';
import { EditorField, EditorRow, EditorSwitch } from '@grafana/plugin-ui';
import { Input } from '@grafana/ui';

import type { NetdataQuery } from '../../types';
import { testIds } from '../../testIds';

interface Props {
  query: NetdataQuery;
  onChange: (patch: Partial<NetdataQuery>) => void;
  /** Alert rules name series by their labels and ignore display names: no legend there. */
  showLegend: boolean;
}

export const LEGEND_HINT =
  'Series name template over the series labels: {{dimension}} on {{node}}. Keys: node, instance, dimension, ' +
  'context, units, the label keys grouped by, and name (the automatic name). Empty uses automatic names.';

/** What comes back for each group: extra anomaly-rate series, which series are kept, and how they are named. */
export function SeriesRow({ query, onChange, showLegend }: Props) {
  const limitProblem =
    query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1)
      ? 'Enter a whole number of series, 1 or more'
      : undefined;
  return (
    <EditorRow>
      <EditorField
        label="Anomaly rate"
        tooltip="Adds one series per output series with its anomaly rate (% of anomalous samples in each point, from Netdata's ML), named '… anomaly rate'."
      >
        <EditorSwitch
          id={testIds.queryAnomalyRate}
          value={!!query.anomalyRate}
          onChange={(e) => onChange({ anomalyRate: e.currentTarget.checked || undefined })}
        />
      </EditorField>
      <EditorField
        label="Live"
        tooltip="Streams each new point as Netdata collects it (Grafana Live): the panel's series as one frame, updated every collection interval (1 s typically; 5 s through Netdata Cloud)."
      >
        <EditorSwitch
          id="netdata-query-live"
          value={!!query.live}
          onChange={(e) => onChange({ live: e.currentTarget.checked || undefined })}
        />
      </EditorField>
      <EditorField
        label="Non-zero only"
        tooltip="Drops series whose values are all zero in the time range (Netdata option nonzero)."
      >
        <EditorSwitch
          id={testIds.queryNonZero}
          value={!!query.nonZero}
          onChange={(e) => onChange({ nonZero: e.currentTarget.checked || undefined })}
        />
      </EditorField>
      <EditorField
        label="% of total"
        tooltip="Each series as a percentage of the sum of all series at that time (Netdata option percentage; values become absolute)."
      >
        <EditorSwitch
          id={testIds.queryPercentage}
          value={!!query.percentage}
          onChange={(e) => onChange({ percentage: e.currentTarget.checked || undefined })}
        />
      </EditorField>
      <EditorField
        label="Top series"
        optional
        tooltip="Keep the N series contributing most and fold the rest into one 'remaining' series (Netdata ≥ 2.6; older agents return every series)."
        invalid={!!limitProblem}
        error={limitProblem}
      >
        <Input
          id={testIds.queryLimit}
          type="number"
          min={1}
          key={String(query.limit ?? '')}
          defaultValue={query.limit ?? ''}
          placeholder="All"
          width={10}
          onBlur={(e) => {
            const text = e.currentTarget.value.trim();
            const value = text === '' ? undefined : Number(text);
            if (value !== query.limit) {
              onChange({ limit: value });
            }
          }}
        />
      </EditorField>
      {showLegend && (
        <EditorField label="Legend" optional tooltip={LEGEND_HINT}>
          <Input
            id={testIds.queryLegend}
            key={query.legendFormat ?? ''}
            defaultValue={query.legendFormat ?? ''}
            placeholder="Auto"
            width={36}
            onBlur={(e) => {
              const value = e.currentTarget.value || undefined;
              if (value !== query.legendFormat) {
                onChange({ legendFormat: value });
              }
            }}
          />
        </EditorField>
      )}
    </EditorRow>
  );
}
