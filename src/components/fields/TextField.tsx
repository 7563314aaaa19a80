import React from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Input } from '@grafana/ui';

interface Props {
  id: string;
  label: string;
  tooltip: string;
  value: string | undefined;
  placeholder?: string;
  width?: number;
  optional?: boolean;
  error?: string;
  /** Called on blur with the trimmed text; empty is undefined. */
  onChange: (value: string | undefined) => void;
}

/** A text field committed on blur (every change runs the query, so not on each keystroke). */
export function TextField({ id, label, tooltip, value, placeholder, width = 30, optional, error, onChange }: Props) {
  return (
    <EditorField label={label} tooltip={tooltip} optional={optional} invalid={!!error} error={error}>
      <Input
        id={id}
        key={value ?? ''}
        width={width}
        defaultValue={value ?? ''}
        placeholder={placeholder}
        invalid={!!error}
        onBlur={(e) => {
          const next = e.currentTarget.value.trim() || undefined;
          if (next !== value) {
            onChange(next);
          }
        }}
      />
    </EditorField>
  );
}

interface NumberProps extends Omit<Props, 'value' | 'onChange'> {
  value: number | undefined;
  min: number;
  max: number;
  disabled?: boolean;
  onChange: (value: number | undefined) => void;
}

/** A whole-number field committed on blur; out of range or not whole is shown, not saved silently changed. */
export function WholeNumberField({
  id,
  label,
  tooltip,
  value,
  placeholder,
  width = 10,
  min,
  max,
  disabled,
  onChange,
}: NumberProps) {
  const problem =
    value !== undefined && (!Number.isInteger(value) || value < min || value > max)
      ? `Enter a whole number from ${min} to ${max}`
      : undefined;
  return (
    <EditorField label={label} tooltip={tooltip} invalid={!!problem} error={problem} disabled={disabled}>
      <Input
        id={id}
        type="number"
        min={min}
        max={max}
        key={String(value ?? '')}
        width={width}
        defaultValue={value ?? ''}
        placeholder={placeholder}
        disabled={disabled}
        onBlur={(e) => {
          const text = e.currentTarget.value.trim();
          const next = text === '' ? undefined : Number(text);
          if (next !== value) {
            onChange(next);
          }
        }}
      />
    </EditorField>
  );
}
