import type { ComboboxOption } from '@grafana/ui';

const CUSTOM = 'Custom value';

/** How a saved value the loaded list lacks is described: a pattern or variable is "custom", a missing name is stale. */
export type DescribeMissing = (value: string) => string;

const custom: DescribeMissing = () => CUSTOM;

/** Saved values as options, keeping values the loaded list does not know (patterns, variables, offline nodes). */
export function selectedOptions(
  values: string[] | undefined,
  options: ComboboxOption[],
  describe: DescribeMissing = custom
): ComboboxOption[] {
  return (values ?? []).map(
    (v) => options.find((o) => o.value === v) ?? { value: v, label: v, description: describe(v) }
  );
}

/** The loaded options plus the saved values they lack, so those stay visible and checked in the menu. */
export function withSavedValues(
  options: ComboboxOption[],
  values: string[] | undefined,
  describe: DescribeMissing = custom
): ComboboxOption[] {
  const missing = (values ?? []).filter((v) => v !== '' && !options.some((o) => o.value === v));
  return missing.length
    ? [...missing.map((v) => ({ value: v, label: v, description: describe(v) })), ...options]
    : options;
}

export function selectedOption(value: string | undefined, options: ComboboxOption[]): ComboboxOption | null {
  return value ? (selectedOptions([value], options)[0] ?? null) : null;
}
