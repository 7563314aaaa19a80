import React, { useMemo } from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import type { ComboboxOption } from '@grafana/ui';

import type { ContextDetails } from '../../netdata/contextDetails';
import type { NetdataQuery } from '../../types';
import type { Loaded } from '../useLoader';
import { MultiValuePicker } from './MultiValuePicker';
import { staleMessage, staleValues } from './staleValues';

interface Props {
  query: NetdataQuery;
  details: Loaded<ContextDetails | undefined>;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

export const PATTERN_HINT =
  'Pick values or type Netdata patterns: * matches anything, a leading ! excludes, the first match wins ' +
  '(!idle,* = all but idle; web* = every name starting with web).';

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
      <EditorField
        label="Dimensions"
        optional
        tooltip={`Dimensions to keep; empty means all visible ones. ${PATTERN_HINT} $variables work.`}
        invalid={!!dimensionsError}
        error={dimensionsError}
      >
        <MultiValuePicker
          id="netdata-query-dimensions"
          values={query.dimensions}
          options={dimensionOptions}
          loading={details.loading}
          placeholder="All dimensions"
          stale={staleDimensions}
          customValueDescription="Use this name or pattern (* wildcard, ! excludes)"
          onChange={(dimensions) => onChange({ dimensions })}
        />
      </EditorField>
      <EditorField
        label="Instances"
        optional
        tooltip={`Instances (charts) to keep; empty means all. ${PATTERN_HINT} $variables work.`}
        invalid={!!instancesError}
        error={instancesError}
      >
        <MultiValuePicker
          id="netdata-query-instances"
          values={query.instances}
          options={instanceOptions}
          loading={details.loading}
          placeholder="All instances"
          stale={staleInstances}
          customValueDescription="Use this name or pattern (* wildcard, ! excludes)"
          onChange={(instances) => onChange({ instances })}
        />
      </EditorField>
    </EditorRow>
  );
}

function plain(values: string[] | undefined): ComboboxOption[] {
  return (values ?? []).map((value) => ({ value }));
}
