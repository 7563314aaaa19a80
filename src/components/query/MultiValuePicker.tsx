import React, { useMemo } from 'react';
import { ComboboxOption, MultiCombobox } from '@grafana/ui';

import { selectedOptions, withSavedValues } from '../comboboxOptions';

interface Props {
  id: string;
  values: string[] | undefined;
  options: ComboboxOption[];
  onChange: (values: string[]) => void;
  loading?: boolean;
  placeholder?: string;
  disabled?: boolean;
}

/** A multi-value choice among loaded options that also takes typed values: patterns, `$variables`, ids. */
export function MultiValuePicker({ id, values, options, onChange, loading, placeholder, disabled }: Props) {
  const all = useMemo(() => withSavedValues(options, values), [options, values]);
  return (
    <MultiCombobox
      id={id}
      options={all}
      value={selectedOptions(values, all)}
      onChange={(chosen) => onChange(chosen.map((o) => o.value))}
      createCustomValue
      isClearable
      loading={loading}
      placeholder={placeholder}
      disabled={disabled}
      width="auto"
      minWidth={24}
      maxWidth={80}
    />
  );
}
