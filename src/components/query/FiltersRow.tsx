import React, { useMemo } from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import type { ComboboxOption } from '@grafana/ui';

import type { ContextDetails } from '../../netdata/contextDetails';
import type { LabelFilter } from '../../netdata/types';
import type { NetdataQuery } from '../../types';
import type { Loaded } from '../useLoader';
import { MultiValuePicker } from './MultiValuePicker';

interface Props {
  query: NetdataQuery;
  details: Loaded<ContextDetails | undefined>;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

/** What to read inside the context: dimensions, instances and label filters. */
export function FiltersRow({ query, details, onChange }: Props) {
  const d = details.value;
  const dimensionOptions = useMemo(() => plain(d?.dimensions), [d]);
  const instanceOptions = useMemo(() => plain(d?.instances), [d]);
  const labelOptions = useMemo<ComboboxOption[]>(
    () =>
      Object.entries(d?.labels ?? {})
        .sort(([a], [b]) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b))
        .flatMap(([key, values]) => values.map((value) => ({ value: `${key}:${value}`, group: key }))),
    [d]
  );
  const error = details.error ? `Could not load the context's details: ${details.error}` : undefined;

  return (
    <EditorRow>
      <EditorField
        label="Dimensions"
        optional
        tooltip="Dimensions to keep; empty means all visible ones. Patterns such as !idle,* and $variables work."
        invalid={!!error}
        error={error}
      >
        <MultiValuePicker
          id="netdata-query-dimensions"
          values={query.dimensions}
          options={dimensionOptions}
          loading={details.loading}
          placeholder="All dimensions"
          onChange={(dimensions) => onChange({ dimensions })}
        />
      </EditorField>
      <EditorField label="Instances" optional tooltip="Instances (charts) to keep; empty means all.">
        <MultiValuePicker
          id="netdata-query-instances"
          values={query.instances}
          options={instanceOptions}
          loading={details.loading}
          placeholder="All instances"
          onChange={(instances) => onChange({ instances })}
        />
      </EditorField>
      <EditorField
        label="Label filters"
        optional
        tooltip="Exact key:value pairs. Values of one key are OR-ed, different keys are AND-ed. Netdata ignores * and ! here."
      >
        <MultiValuePicker
          id="netdata-query-labels"
          values={query.labels?.map(labelText)}
          options={labelOptions}
          loading={details.loading}
          placeholder="No label filter"
          onChange={(items) => onChange({ labels: items.flatMap(parseLabel) })}
        />
      </EditorField>
    </EditorRow>
  );
}

function plain(values: string[] | undefined): ComboboxOption[] {
  return (values ?? []).map((value) => ({ value }));
}

function labelText(l: LabelFilter): string {
  return `${l.key}:${l.value}`;
}

/** `key:value` → a filter; an item without `:` is not a label filter (Netdata would stop parsing there). */
function parseLabel(item: string): LabelFilter[] {
  const i = item.indexOf(':');
  return i > 0 ? [{ key: item.slice(0, i).trim(), value: item.slice(i + 1).trim() }] : [];
}
