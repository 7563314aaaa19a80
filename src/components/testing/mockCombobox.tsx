// Test stand-ins for @grafana/ui's Combobox and MultiCombobox (as GitHub's plugin does): native selects with the
// same props contract, so editor tests check our logic without driving a virtualised popup in jsdom. Async options
// (a search function) are asked for on mount and whenever the "<id> search" input changes, as the real menu does
// when it opens and on every keystroke.
import React, { useEffect, useState } from 'react';
import type { ComboboxOption } from '@grafana/ui';

type Value = string | number;
type Options = Array<ComboboxOption<Value>> | ((input: string) => Promise<Array<ComboboxOption<Value>>>);

interface SingleProps {
  id?: string;
  options: Options;
  value?: Value | ComboboxOption<Value> | null;
  onChange: (option: ComboboxOption<Value> | null) => void;
  placeholder?: string;
  createCustomValue?: boolean;
  loading?: boolean;
  disabled?: boolean;
  invalid?: boolean;
}

interface MultiProps extends Omit<SingleProps, 'value' | 'onChange'> {
  value?: Value[] | Array<ComboboxOption<Value>>;
  onChange: (options: Array<ComboboxOption<Value>>) => void;
}

const valueOf = (v: Value | ComboboxOption<Value>) => (typeof v === 'object' ? v.value : v);

/** The options shown: the fixed list, or the latest answer of the search function. */
function useShownOptions(id: string | undefined, options: Options) {
  const [search, setSearch] = useState('');
  // Like the real menu, the previous answer stays shown until the next one arrives.
  const [answer, setAnswer] = useState<{ fn?: Options; search?: string; options: Array<ComboboxOption<Value>> }>({
    options: [],
  });
  useEffect(() => {
    if (typeof options !== 'function') {
      return;
    }
    let live = true;
    options(search).then((o) => live && setAnswer({ fn: options, search, options: o }));
    return () => {
      live = false;
    };
  }, [options, search]);
  const isAsync = typeof options === 'function';
  const searchInput = isAsync ? (
    <input aria-label={`${id} search`} value={search} onChange={(e) => setSearch(e.target.value)} />
  ) : null;
  const pending = isAsync && (answer.fn !== options || answer.search !== search);
  return { opts: isAsync ? answer.options : options, pending, searchInput };
}

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
  invalid,
}: SingleProps) {
  const { opts, pending, searchInput } = useShownOptions(id, options);
  const current = value === null || value === undefined ? '' : String(valueOf(value));
  // Like the real input, the current value shows even when the option list lacks it (async search results).
  const shown =
    current && !opts.some((o) => String(o.value) === current)
      ? [typeof value === 'object' && value ? value : { value: current }, ...opts]
      : opts;
  return (
    <div
      data-testid={`${id}-combobox`}
      data-loading={loading ? 'true' : 'false'}
      data-searching={pending ? 'true' : 'false'}
      data-invalid={invalid ? 'true' : 'false'}
    >
      {searchInput}
      <select
        id={id}
        aria-label={id}
        value={current}
        disabled={disabled}
        onChange={(e) => onChange(shown.find((o) => String(o.value) === e.target.value) ?? null)}
      >
        <option value="">{placeholder}</option>
        {shown.map((o) => (
          <option key={String(o.value)} value={String(o.value)} title={o.description}>
            {o.label ?? String(o.value)}
          </option>
        ))}
      </select>
      {createCustomValue && <CustomValueInput id={id} onAdd={(v) => onChange({ value: v, label: v })} />}
    </div>
  );
}

export function MultiCombobox({
  id,
  options,
  value,
  onChange,
  createCustomValue,
  loading,
  disabled,
  invalid,
}: MultiProps) {
  const { opts, searchInput } = useShownOptions(id, options);
  const selected = (value ?? []).map((v) => valueOf(v));
  const selectedOptions = (value ?? []).map((v) =>
    typeof v === 'object' ? v : (opts.find((o) => o.value === v) ?? { value: v })
  );
  return (
    <div
      data-testid={`${id}-multicombobox`}
      data-loading={loading ? 'true' : 'false'}
      data-invalid={invalid ? 'true' : 'false'}
    >
      {searchInput}
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
      {/* The pills of the real component, in value order, with the description the menu shows. */}
      <ul aria-label={`${id} selected`}>
        {selectedOptions.map((o) => (
          <li key={String(o.value)} title={o.description}>
            {o.label ?? String(o.value)}
          </li>
        ))}
      </ul>
      {createCustomValue && (
        <CustomValueInput id={id} onAdd={(v) => onChange([...selectedOptions, { value: v, label: v }])} />
      )}
    </div>
  );
}
