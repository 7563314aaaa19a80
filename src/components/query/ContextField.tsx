import React, { useMemo } from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption } from '@grafana/ui';

import type { ContextSummary } from '../../netdata/catalog';
import { selectedOption, withSavedValues } from '../comboboxOptions';
import type { Loaded } from '../useLoader';

interface Props {
  context: string | undefined;
  list: Loaded<ContextSummary[]>;
  onChange: (context: string) => void;
}

export function ContextField({ context, list, onChange }: Props) {
  const options = useMemo<ComboboxOption[]>(
    () =>
      withSavedValues(
        (list.value ?? []).map((c) => ({
          value: c.id,
          label: c.id,
          description: [c.title, c.units].filter(Boolean).join(' · ') || undefined,
        })),
        context ? [context] : []
      ),
    [list.value, context]
  );
  return (
    <EditorField
      label="Context"
      tooltip="The Netdata chart type to query, e.g. system.cpu or disk.io. A $variable or a pattern is accepted."
      invalid={!!list.error}
      error={list.error ? `Could not load contexts: ${list.error}` : undefined}
    >
      <Combobox
        id="netdata-query-context"
        options={options}
        value={selectedOption(context, options)}
        onChange={(option) => onChange(option.value)}
        createCustomValue
        loading={list.loading}
        placeholder="Choose a context"
        width={40}
      />
    </EditorField>
  );
}
