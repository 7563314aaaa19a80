import React, { useMemo } from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import type { ComboboxOption } from '@grafana/ui';

import type { ContextDetails } from '../../netdata/contextDetails';
import type { NetdataQuery } from '../../types';
import type { Loaded } from '../../components/useLoader';
import { MultiValuePicker } from '../../components/fields/MultiValuePicker';
import { staleMessage, staleValues } from '../../components/fields/staleValues';
import { testIds } from '../../testIds';

interface Props {
  query: NetdataQuery;
  details: Loaded<ContextDetails | undefined>;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

export const PATTERN_HINT =
  'Pick values or type Netdata patterns, one per value: * matches anything, a leading ! excludes, the first match ' +
  'wins (!idle = all but idle; web* = every name starting with web); , | and \\ are part of the name.';

/** What to read inside the context: dimensions and instances, as names or Netdata simple patterns. */
export function FiltersRow({ query, details, onChange }: Props) {
  const d = details.value;
  const dimensionOptions = useMemo(() => plain(d?.dimensions), [d]);
  const instanceOptions = useMemo(() => plain(d?.instances), [d]);
  const staleDimensions = useMemo(() => staleValues(query.dimensions, d?.dimensions), [query.dimensions, d]);
  const staleInstances = useMemo(() => staleValues(query.instances, d?.instances), [query.instances, d]);
  const loadError = details.error ? `Could not load the context's details: ${details.error}` : undefined;
  const dimensionsError = loadError ?? staleMessage(staleDimensions);
  const instancesError = staleMessage(staleInstances);

  return (
    <EditorRow>
      <SelectorField
        id={testIds.queryDimensions}
        label="Dimensions"
        tooltip={`Dimensions to keep; empty means all visible ones. ${PATTERN_HINT} $variables work.`}
        error={dimensionsError}
        values={query.dimensions}
        options={dimensionOptions}
        loading={details.loading}
        placeholder="All dimensions"
        stale={staleDimensions}
        onChange={(dimensions) => onChange({ dimensions })}
      />
      <SelectorField
        id={testIds.queryInstances}
        label="Instances"
        tooltip={`Instances (charts) to keep; empty means all. ${PATTERN_HINT} $variables work.`}
        error={instancesError}
        values={query.instances}
        options={instanceOptions}
        loading={details.loading}
        placeholder="All instances"
        stale={staleInstances}
        onChange={(instances) => onChange({ instances })}
      />
    </EditorRow>
  );
}

interface SelectorFieldProps {
  id: string;
  label: string;
  tooltip: string;
  error: string | undefined;
  values: string[] | undefined;
  options: ComboboxOption[];
  loading: boolean;
  placeholder: string;
  stale: string[];
  onChange: (values: string[]) => void;
}

/** One Netdata selector (names or simple patterns) picked from the context's values. */
function SelectorField({ id, label, tooltip, error, ...picker }: SelectorFieldProps) {
  return (
    <EditorField label={label} optional tooltip={tooltip} invalid={!!error} error={error}>
      <MultiValuePicker
        id={id}
        customValueDescription="Use this name or pattern (* wildcard, ! excludes)"
        {...picker}
      />
    </EditorField>
  );
}

function plain(values: string[] | undefined): ComboboxOption[] {
  return (values ?? []).map((value) => ({ value }));
}
