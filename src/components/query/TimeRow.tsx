import React from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Combobox, Input } from '@grafana/ui';

import type { TimeGroup } from '../../netdata/types';
import type { NetdataQuery } from '../../types';
import { TIME_GROUP_OPTION, TIME_GROUP_OPTIONS } from './words';

interface Props {
  query: NetdataQuery;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

/** Time aggregation inside each point (with its option) and the legend. */
export function TimeRow({ query, onChange }: Props) {
  const timeGroup = query.timeGroup ?? 'average';
  const option = TIME_GROUP_OPTION[timeGroup];

  return (
    <EditorRow>
      <EditorField label="Time aggregation" tooltip="How the samples inside each point are combined.">
        <Combobox<TimeGroup>
          id="netdata-query-time-group"
          options={TIME_GROUP_OPTIONS}
          value={timeGroup}
          onChange={(o) => onChange({ timeGroup: o.value, timeGroupOptions: undefined })}
          width={24}
        />
      </EditorField>
      {option && (
        <EditorField label={option.label} tooltip={option.tooltip} optional>
          <Input
            id="netdata-query-time-group-options"
            key={`${timeGroup}:${query.timeGroupOptions ?? ''}`}
            defaultValue={query.timeGroupOptions ?? ''}
            placeholder={option.placeholder}
            width={12}
            onBlur={(e) => {
              const value = e.currentTarget.value.trim() || undefined;
              if (value !== query.timeGroupOptions) {
                onChange({ timeGroupOptions: value });
              }
            }}
          />
        </EditorField>
      )}
      <EditorField
        label="Legend"
        optional
        tooltip="Series name template, e.g. {{dimension}} on {{node}}. Empty uses Netdata's series names."
      >
        <Input
          id="netdata-query-legend"
          key={query.legendFormat ?? ''}
          defaultValue={query.legendFormat ?? ''}
          placeholder="Auto"
          width={30}
          onBlur={(e) => {
            const value = e.currentTarget.value || undefined;
            if (value !== query.legendFormat) {
              onChange({ legendFormat: value });
            }
          }}
        />
      </EditorField>
    </EditorRow>
  );
}
