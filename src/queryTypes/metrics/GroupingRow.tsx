import React, { useMemo } from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption, MultiCombobox } from '@grafana/ui';

import type { ContextDetails } from '../../netdata/contextDetails';
import { MAX_GROUP_BY_LABELS } from '../../netdata/query';
import type { Aggregation, GroupByWord } from '../../netdata/types';
import { groupByConflicts } from '../../netdata/vocabulary';
import type { NetdataQuery } from '../../types';
import type { Loaded } from '../../components/useLoader';
import { MultiValuePicker } from '../../components/fields/MultiValuePicker';
import { staleMessage, staleValues } from '../../components/fields/staleValues';
import { AGGREGATION_OPTIONS, GROUP_BY_OPTIONS, guardGroupBy } from './words';
import { testIds } from '../../testIds';

interface Props {
  query: NetdataQuery;
  details: Loaded<ContextDetails | undefined>;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

/** How series are combined: group-by words, group-by labels and the aggregation across each group. */
export function GroupingRow({ query, details, onChange }: Props) {
  const groupBy = useMemo(() => query.groupBy ?? [], [query.groupBy]);
  const labels = details.value?.labels;
  const labelKeys = useMemo<ComboboxOption[]>(
    () =>
      Object.keys(labels ?? {})
        .sort((a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b))
        .map((value) => ({ value, description: `${labels?.[value].length ?? 0} values` })),
    [labels]
  );
  const staleKeys = useMemo(
    () => staleValues(query.groupByLabels, labels ? Object.keys(labels) : undefined),
    [query.groupByLabels, labels]
  );

  // A saved query may still hold a combination the picker no longer allows (hand-written JSON, provisioning).
  const conflict = groupByConflicts(groupBy);
  const byLabel = groupBy.includes('label');
  const missingKeys = byLabel && !query.groupByLabels?.length;
  const labelsError = missingKeys
    ? 'Choose at least one label key: without one Netdata groups by dimension'
    : staleMessage(staleKeys);

  const onGroupByChange = (chosen: Array<ComboboxOption<GroupByWord>>) => {
    const next = guardGroupBy(
      groupBy,
      chosen.map((o) => o.value)
    );
    // Label keys only mean something with `label`; drop them with it (and add nothing that was not there).
    const dropKeys = !next.includes('label') && !!query.groupByLabels?.length;
    onChange({ groupBy: next, ...(dropKeys ? { groupByLabels: [] } : {}) });
  };

  return (
    <EditorRow>
      <EditorField
        label="Group by"
        tooltip="One series per distinct value of these; empty means dimension. selected and percentage-of-instance are chosen alone (Netdata ignores every other word next to them)."
        invalid={!!conflict}
        error={conflict}
      >
        <MultiCombobox<GroupByWord>
          id={testIds.queryGroupBy}
          options={GROUP_BY_OPTIONS}
          value={groupBy}
          onChange={onGroupByChange}
          placeholder="dimension"
          width="auto"
          minWidth={20}
          maxWidth={60}
        />
      </EditorField>
      {byLabel && (
        <EditorField
          label="Group by labels"
          tooltip={`Label keys, in order (up to ${MAX_GROUP_BY_LABELS}). Instances without a key form the group [unset].`}
          invalid={!!labelsError}
          error={labelsError}
        >
          <MultiValuePicker
            id={testIds.queryGroupByLabels}
            values={query.groupByLabels}
            options={labelKeys}
            loading={details.loading}
            placeholder="Label keys"
            stale={staleKeys}
            onChange={(groupByLabels) => onChange({ groupByLabels: groupByLabels.slice(0, MAX_GROUP_BY_LABELS) })}
          />
        </EditorField>
      )}
      <EditorField label="Aggregation" tooltip="How the series inside each group are combined into one.">
        <Combobox<Aggregation>
          id={testIds.queryAggregation}
          options={AGGREGATION_OPTIONS}
          value={query.aggregation ?? 'avg'}
          onChange={(option) => onChange({ aggregation: option.value })}
          width={20}
        />
      </EditorField>
    </EditorRow>
  );
}
