// Test stand-ins for @grafana/ui's Combobox and MultiCombobox (as GitHub's plugin does): native selects with the
// same props contract, so editor tests check our logic without driving a virtualised popup in jsdom.
import React, { useState } from 'react';
import type { ComboboxOption } from '@grafana/ui';

type Value = string | number;

interface SingleProps {
  id?: string;
  options: Array<ComboboxOption<Value>> | ((input: string) => Promise<Array<ComboboxOption<Value>>>);
  value?: Value | ComboboxOption<Value> | null;
  onChange: (option: ComboboxOption<Value> | null) => void;
  placeholder?: string;
  createCustomValue?: boolean;
  loading?: boolean;
  disabled?: boolean;
}

interface MultiProps extends Omit<SingleProps, 'value' | 'onChange'> {
  value?: Value[] | Array<ComboboxOption<Value>>;
  onChange: (options: Array<ComboboxOption<Value>>) => void;
}

const list = (options: SingleProps['options']) => (Array.isArray(options) ? options : []);
const valueOf = (v: Value | ComboboxOption<Value>) => (typeof v === 'object' ? v.value : v);

function CustomValueInput({ id, onAdd }: { id?: string; onAdd: (value: string) => void }) {
  const [text, setText] = useState('');
  return (
    <input
      aria-label={`${id} custom value`}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && text) {
          onAdd(text);
          setText('');
        }
      }}
    />
  );
}

export function Combobox({
  id,
  options,
  value,
  onChange,
  placeholder,
  createCustomValue,
  loading,
  disabled,
}: SingleProps) {
  const opts = list(options);
  const current = value === null || value === undefined ? '' : String(valueOf(value));
  return (
    <div data-testid={`${id}-combobox`} data-loading={loading ? 'true' : 'false'}>
      <select
        id={id}
        aria-label={id}
        value={current}
        disabled={disabled}
        onChange={(e) => onChange(opts.find((o) => String(o.value) === e.target.value) ?? null)}
      >
        <option value="">{placeholder}</option>
        {opts.map((o) => (
          <option key={String(o.value)} value={String(o.value)} title={o.description}>
            {o.label ?? String(o.value)}
          </option>
        ))}
      </select>
      {createCustomValue && <CustomValueInput id={id} onAdd={(v) => onChange({ value: v, label: v })} />}
    </div>
  );
}

export function MultiCombobox({ id, options, value, onChange, createCustomValue, loading, disabled }: MultiProps) {
  const opts = list(options);
  const selected = (value ?? []).map((v) => valueOf(v));
  const selectedOptions = (value ?? []).map((v) =>
    typeof v === 'object' ? v : (opts.find((o) => o.value === v) ?? { value: v })
  );
  return (
    <div data-testid={`${id}-multicombobox`} data-loading={loading ? 'true' : 'false'}>
      <select
        id={id}
        aria-label={id}
        multiple
        value={selected.map(String)}
        disabled={disabled}
        onChange={(e) => {
          const chosen = Array.from(e.target.selectedOptions).map((el) => el.value);
          onChange(opts.filter((o) => chosen.includes(String(o.value))));
        }}
      >
        {opts.map((o) => (
          <option key={String(o.value)} value={String(o.value)} title={o.description}>
            {o.label ?? String(o.value)}
          </option>
        ))}
      </select>
      {/* The pills of the real component, in value order. */}
      <ul aria-label={`${id} selected`}>
        {selectedOptions.map((o) => (
          <li key={String(o.value)}>{o.label ?? String(o.value)}</li>
        ))}
      </ul>
      {createCustomValue && (
        <CustomValueInput id={id} onAdd={(v) => onChange([...selectedOptions, { value: v, label: v }])} />
      )}
    </div>
  );
}
