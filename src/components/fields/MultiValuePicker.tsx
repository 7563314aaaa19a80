import React, { useMemo } from 'react';
import { ComboboxOption, MultiCombobox } from '@grafana/ui';

import { selectedOptions, withSavedValues } from '../comboboxOptions';
import { STALE_DESCRIPTION } from './staleValues';

interface Props {
  id: string;
  values: string[] | undefined;
  options: ComboboxOption[];
  onChange: (values: string[]) => void;
  loading?: boolean;
  placeholder?: string;
  disabled?: boolean;
  /** Saved values marked as not reported by the chosen nodes. */
  stale?: string[];
  customValueDescription?: string;
}

/** A multi-value choice among loaded options that also takes typed values: patterns, `$variables`, ids. */
export function MultiValuePicker({
  id,
  values,
  options,
  onChange,
  loading,
  placeholder,
  disabled,
  stale,
  customValueDescription,
}: Props) {
  const describe = useMemo(() => {
    const marked = new Set(stale ?? []);
    return (v: string) => (marked.has(v) ? STALE_DESCRIPTION : 'Custom value');
  }, [stale]);
  const all = useMemo(() => withSavedValues(options, values, describe), [options, values, describe]);
  return (
    <MultiCombobox
      id={id}
      options={all}
      value={selectedOptions(values, all, describe)}
      onChange={(chosen) => onChange(chosen.map((o) => o.value))}
      createCustomValue
      customValueDescription={customValueDescription}
      isClearable
      loading={loading}
      invalid={!!stale?.length}
      placeholder={placeholder}
      disabled={disabled}
      width="auto"
      minWidth={24}
      maxWidth={80}
    />
  );
}
