import React from 'react';
import { EditorRow } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption, Input } from '@grafana/ui';

import type { TimeGroup } from '../../netdata/types';
import type { NetdataQuery } from '../../types';
import { TIME_GROUP_OPTIONS, timeGroupInfo, timeGroupOptionProblem } from './words';
import { DescribedField } from '../../components/fields/DescribedField';
import { testIds } from '../../testIds';

interface Props {
  query: NetdataQuery;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

const AUTO = 'auto';

export const TIER_OPTIONS: ComboboxOption[] = [
  {
    value: AUTO,
    label: 'Auto',
    description: 'Netdata picks the tier for the resolution; statistical time aggregations are pinned to tier 0',
  },
  { value: '0', label: 'Tier 0', description: 'Native resolution: every collected sample' },
  { value: '1', label: 'Tier 1', description: 'Per-minute min, max, sum and count (default setup)' },
  { value: '2', label: 'Tier 2', description: 'Per-hour min, max, sum and count (default setup)' },
  { value: '3', label: 'Tier 3', description: 'Only if the agent is configured with more tiers' },
  { value: '4', label: 'Tier 4', description: 'Only if the agent is configured with more tiers' },
];

/** Time aggregation inside each point (with its option) and the dbengine tier it reads. */
export function TimeRow({ query, onChange }: Props) {
  const info = timeGroupInfo(query.timeGroup);
  const optionProblem = timeGroupOptionProblem(info, query.timeGroupOptions);
  const tier = typeof query.tier === 'number' ? String(query.tier) : AUTO;
  const tierWarning =
    info.needsTier0 && typeof query.tier === 'number' && query.tier > 0
      ? `${info.label} over tier ${query.tier} is computed from per-minute or coarser aggregates, not from the ` +
        'samples: choose Auto or tier 0 for exact values'
      : undefined;
  const tierHint = info.needsTier0
    ? `${info.label} needs tier 0 (the samples); Auto uses tier 0 for it`
    : 'Auto lets Netdata use coarser tiers for long ranges';

  return (
    <EditorRow>
      <DescribedField
        label="Time aggregation"
        tooltip="How the samples inside each point are combined."
        description={info.description}
      >
        <Combobox<TimeGroup>
          id={testIds.queryTimeGroup}
          options={TIME_GROUP_OPTIONS}
          value={info.name}
          onChange={(o) => onChange({ timeGroup: o.value, timeGroupOptions: undefined })}
          width={30}
        />
      </DescribedField>
      {info.option !== 'none' && (
        <DescribedField
          label={info.option === 'condition' ? 'Condition' : 'Percent'}
          tooltip={
            info.option === 'condition'
              ? 'Operator and number: >0, >=10, <5, <=5, =0, !=0. Always include the operator.'
              : `A percentage above 0 and at most ${info.optionMax ?? 100}. Empty uses ${info.defaultOption}.`
          }
          optional
          invalid={!!optionProblem}
          error={optionProblem}
        >
          <Input
            id={testIds.queryTimeGroupOptions}
            key={`${info.name}:${query.timeGroupOptions ?? ''}`}
            defaultValue={query.timeGroupOptions ?? ''}
            placeholder={info.defaultOption}
            width={12}
            onBlur={(e) => {
              const value = e.currentTarget.value.trim() || undefined;
              if (value !== query.timeGroupOptions) {
                onChange({ timeGroupOptions: value });
              }
            }}
          />
        </DescribedField>
      )}
      <DescribedField
        label="Tier"
        tooltip="The dbengine tier to read. Tier 0 holds every sample; higher tiers hold per-minute / per-hour aggregates and reach further back."
        description={tierWarning ? undefined : tierHint}
        invalid={!!tierWarning}
        error={tierWarning}
      >
        <Combobox
          id={testIds.queryTier}
          options={TIER_OPTIONS}
          value={tier}
          onChange={(o) => onChange({ tier: o.value === AUTO ? undefined : Number(o.value) })}
          width={16}
        />
      </DescribedField>
    </EditorRow>
  );
}
