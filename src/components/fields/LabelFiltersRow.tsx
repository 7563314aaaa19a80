import React, { useMemo, useState } from 'react';
import { AccessoryButton, EditorRow, InputGroup } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption, FieldValidationMessage, Stack } from '@grafana/ui';

import type { ContextDetails } from '../../netdata/contextDetails';
import { LABEL_EXCLUSION_PROBLEM, labelFilterProblem } from '../../netdata/patterns';
import type { LabelFilter } from '../../netdata/types';
import type { NetdataQuery } from '../../types';
import { selectedOption, withSavedValues } from '../comboboxOptions';
import type { Loaded } from '../useLoader';
import { DescribedField } from './DescribedField';
import { staleLabels, STALE_DESCRIPTION } from './staleValues';
import { testIds } from '../../testIds';

interface Props {
  query: NetdataQuery;
  details: Loaded<ContextDetails | undefined>;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

/** Netdata's real label matching (netdata-api.md §2.7), stated where the filters are edited. */
export const LABEL_SEMANTICS =
  'Same key: any of its values matches (OR). Different keys: all must match (AND). ' +
  'Values are exact: * cannot be matched, and ! , | \\ are taken literally.';

/**
 * Label filters as key / value rows. Rows being written (a key without a value yet) live in this component; the
 * query gets the complete rows only, so a saved query never holds half a filter.
 */
export function LabelFiltersRow({ query, details, onChange }: Props) {
  const saved = useMemo(() => query.labels ?? [], [query.labels]);
  const [rows, setRows] = useState<LabelFilter[]>(saved);
  const [seen, setSeen] = useState(saved);
  if (seen !== saved) {
    // A change from outside (a new context clears the filters, a migrated query) replaces the rows being edited.
    setSeen(saved);
    if (!sameFilters(complete(rows), saved)) {
      setRows(saved);
    }
  }

  const labels = details.value?.labels;
  const keyOptions = useMemo<ComboboxOption[]>(
    () =>
      Object.keys(labels ?? {})
        // Netdata's own labels (`_collect_plugin`, …) after the collector's.
        .sort((a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b))
        .map((key) => ({ value: key, description: preview(labels?.[key]) })),
    [labels]
  );
  const stale = useMemo(() => staleLabels(saved, labels), [saved, labels]);

  const update = (next: LabelFilter[]) => {
    setRows(next);
    const filters = complete(next);
    if (!sameFilters(filters, saved)) {
      onChange({ labels: filters });
    }
  };
  const setRow = (index: number, row: LabelFilter) => update(rows.map((r, i) => (i === index ? row : r)));

  return (
    <EditorRow>
      <DescribedField label="Label filters" optional description={LABEL_SEMANTICS}>
        <Stack direction="column" gap={1}>
          {rows.map((row, i) => {
            const problem = rowProblem(row);
            const isStale = stale.some((s) => s.key === row.key && s.value === row.value);
            return (
              <Stack key={i} direction="column" gap={0.5}>
                <InputGroup>
                  <LabelPart
                    id={testIds.queryLabelKey(i)}
                    value={row.key}
                    options={keyOptions}
                    placeholder="key"
                    invalid={!!problem}
                    onChange={(key) => setRow(i, { key, value: key === row.key ? row.value : '' })}
                  />
                  <LabelPart
                    id={testIds.queryLabelValue(i)}
                    value={row.value}
                    options={valueOptions(labels?.[row.key])}
                    stale={isStale}
                    placeholder="value"
                    invalid={!!problem || isStale}
                    onChange={(value) => setRow(i, { ...row, value })}
                  />
                  <AccessoryButton
                    aria-label={`Remove label filter ${i + 1}`}
                    icon="times"
                    variant="secondary"
                    onClick={() => update(rows.filter((_, j) => j !== i))}
                  />
                </InputGroup>
                {problem && <Hint>{`${row.key}${row.exclude ? ' != ' : ':'}${row.value} ${problem}`}</Hint>}
                {!problem && isStale && (
                  <Hint>{`${row.key}:${row.value} is not reported for this context on the chosen nodes, so it selects nothing`}</Hint>
                )}
              </Stack>
            );
          })}
          <div>
            <AccessoryButton
              aria-label="Add label filter"
              icon="plus"
              variant="secondary"
              onClick={() => setRows([...rows, { key: '', value: '' }])}
            >
              {rows.length ? undefined : 'Add label filter'}
            </AccessoryButton>
          </div>
        </Stack>
      </DescribedField>
    </EditorRow>
  );
}

function LabelPart(props: {
  id: string;
  value: string;
  options: ComboboxOption[];
  placeholder: string;
  invalid: boolean;
  stale?: boolean;
  onChange: (value: string) => void;
}) {
  const { id, value, placeholder, invalid, stale, onChange } = props;
  const describe = () => (stale ? STALE_DESCRIPTION : 'Custom value');
  const options = withSavedValues(props.options, value ? [value] : [], describe);
  return (
    <Combobox
      id={id}
      options={options}
      value={selectedOption(value, options)}
      onChange={(option) => onChange(option?.value ?? '')}
      createCustomValue
      isClearable
      invalid={invalid}
      placeholder={placeholder}
      width={28}
    />
  );
}

function Hint({ children }: { children: string }) {
  return <FieldValidationMessage>{children}</FieldValidationMessage>;
}

function valueOptions(values: string[] | undefined): ComboboxOption[] {
  return (values ?? []).map((value) => ({ value }));
}

function preview(values: string[] | undefined): string | undefined {
  if (!values?.length) {
    return undefined;
  }
  const shown = values.slice(0, 3).join(', ');
  return values.length > 3 ? `${shown}, … (${values.length} values)` : shown;
}

function complete(rows: LabelFilter[]): LabelFilter[] {
  return rows.filter((r) => r.key.trim() !== '' && r.value.trim() !== '');
}

function sameFilters(a: LabelFilter[], b: LabelFilter[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => f.key === b[i].key && f.value === b[i].value && !!f.exclude === !!b[i].exclude)
  );
}

function rowProblem(row: LabelFilter): string | undefined {
  if (!row.key || !row.value) {
    return undefined;
  }
  return row.exclude ? LABEL_EXCLUSION_PROBLEM : labelFilterProblem(row.key.trim(), row.value.trim());
}
