import React, { useMemo } from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption, MultiCombobox } from '@grafana/ui';

import type { ContextDetails } from '../../netdata/contextDetails';
import type { Aggregation, GroupByWord } from '../../netdata/types';
import type { NetdataQuery } from '../../types';
import type { Loaded } from '../useLoader';
import { MultiValuePicker } from './MultiValuePicker';
import { AGGREGATION_OPTIONS, GROUP_BY_OPTIONS, guardGroupBy } from './words';

interface Props {
  query: NetdataQuery;
  details: Loaded<ContextDetails | undefined>;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

/** How series are combined: group-by words, group-by labels and the aggregation across each group. */
export function GroupingRow({ query, details, onChange }: Props) {
  const groupBy = query.groupBy ?? [];
  const labelKeys = useMemo<ComboboxOption[]>(
    () => Object.keys(details.value?.labels ?? {}).map((value) => ({ value })),
    [details.value]
  );

  const onGroupByChange = (chosen: Array<ComboboxOption<GroupByWord>>) => {
    const next = guardGroupBy(
      groupBy,
      chosen.map((o) => o.value)
    );
    onChange({ groupBy: next, ...(next.includes('label') ? {} : { groupByLabels: [] }) });
  };

  return (
    <EditorRow>
      <EditorField
        label="Group by"
        tooltip="Series are grouped by these; empty means dimension. selected and percentage-of-instance can only be used alone."
      >
        <MultiCombobox<GroupByWord>
          id="netdata-query-group-by"
          options={GROUP_BY_OPTIONS}
          value={groupBy}
          onChange={onGroupByChange}
          placeholder="dimension"
          width="auto"
          minWidth={20}
          maxWidth={60}
        />
      </EditorField>
      {groupBy.includes('label') && (
        <EditorField label="Group by labels" tooltip="Label keys, in order (up to 10).">
          <MultiValuePicker
            id="netdata-query-group-by-labels"
            values={query.groupByLabels}
            options={labelKeys}
            loading={details.loading}
            placeholder="Label keys"
            onChange={(groupByLabels) => onChange({ groupByLabels: groupByLabels.slice(0, 10) })}
          />
        </EditorField>
      )}
      <EditorField label="Aggregation" tooltip="How the series inside each group are combined.">
        <Combobox<Aggregation>
          id="netdata-query-aggregation"
          options={AGGREGATION_OPTIONS}
          value={query.aggregation ?? 'avg'}
          onChange={(option) => onChange({ aggregation: option.value })}
          width={20}
        />
      </EditorField>
    </EditorRow>
  );
}
