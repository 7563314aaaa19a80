import React, { useMemo } from 'react';
import { Combobox, ComboboxOption, Input } from '@grafana/ui';

import type { NamedItem } from '../resources';
import { selectedOption, withSavedValues } from './comboboxOptions';

interface Props {
  id: string;
  value?: string;
  onChange: (value: string | undefined) => void;
  /** Undefined when the list could not be loaded: the picker becomes a text input for the id. */
  items?: NamedItem[];
  loading?: boolean;
  placeholder?: string;
  width?: number;
  disabled?: boolean;
}

/** Picks a Netdata Cloud space or room by name, storing its id; falls back to typing the id. */
export function NamedItemPicker({ id, value, onChange, items, loading, placeholder, width = 40, disabled }: Props) {
  const options = useMemo<ComboboxOption[]>(
    () =>
      withSavedValues(
        (items ?? []).map((i) => ({ value: i.id, label: i.name, description: i.id })),
        value ? [value] : []
      ),
    [items, value]
  );

  if (!items && !loading) {
    return (
      <Input
        id={id}
        defaultValue={value ?? ''}
        key={value ?? ''}
        placeholder={placeholder}
        width={width}
        disabled={disabled}
        onBlur={(e) => {
          const next = e.currentTarget.value.trim() || undefined;
          if (next !== value) {
            onChange(next);
          }
        }}
      />
    );
  }

  return (
    <Combobox
      id={id}
      options={options}
      value={selectedOption(value, options)}
      onChange={(option) => onChange(option?.value || undefined)}
      isClearable
      createCustomValue
      loading={loading}
      placeholder={placeholder}
      width={width}
      disabled={disabled}
    />
  );
}
