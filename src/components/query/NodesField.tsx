import React, { useMemo } from 'react';
import { EditorField } from '@grafana/plugin-ui';
import type { ComboboxOption } from '@grafana/ui';

import type { NodeSummary } from '../../netdata/catalog';
import type { Loaded } from '../useLoader';
import { MultiValuePicker } from './MultiValuePicker';

interface Props {
  nodes: string[] | undefined;
  list: Loaded<NodeSummary[]>;
  onChange: (nodes: string[]) => void;
}

export function NodesField({ nodes, list, onChange }: Props) {
  const options = useMemo<ComboboxOption[]>(
    () =>
      (list.value ?? []).map((n) => ({
        value: n.id,
        label: n.hostname,
        description: [n.state, n.version, n.id].filter(Boolean).join(' · '),
      })),
    [list.value]
  );
  return (
    <EditorField
      label="Nodes"
      tooltip="Nodes to query; empty means all. Type a hostname pattern such as web* or a $variable for other values."
      invalid={!!list.error}
      error={list.error ? `Could not load nodes: ${list.error}` : undefined}
    >
      <MultiValuePicker
        id="netdata-query-nodes"
        values={nodes}
        options={options}
        loading={list.loading}
        placeholder="All nodes"
        onChange={onChange}
      />
    </EditorField>
  );
}
