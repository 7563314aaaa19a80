import React, { useMemo } from 'react';
import { EditorField } from '@grafana/plugin-ui';
import type { ComboboxOption } from '@grafana/ui';

import type { NodeSummary } from '../../netdata/catalog';
import type { Loaded } from '../useLoader';
import { MultiValuePicker } from './MultiValuePicker';
import { staleMessage, staleValues } from './staleValues';
import { testIds } from '../../testIds';

interface Props {
  nodes: string[] | undefined;
  list: Loaded<NodeSummary[]>;
  onChange: (nodes: string[]) => void;
  /** Netdata Cloud: the nodes of the chosen room. */
  cloud?: boolean;
}

export function NodesField({ nodes, list, onChange, cloud }: Props) {
  const options = useMemo<ComboboxOption[]>(
    () =>
      (list.value ?? []).map((n) => ({
        value: n.id,
        label: n.hostname,
        description: [n.state, n.version, n.id].filter(Boolean).join(' · '),
      })),
    [list.value]
  );
  // Netdata matches a node pattern against the hostname, the machine GUID and the node id (netdata-api.md §2.8).
  const known = useMemo(
    () => list.value?.flatMap((n) => [n.id, n.hostname, n.machineGuid, ...(n.nodeId ? [n.nodeId] : [])]) ?? undefined,
    [list.value]
  );
  const stale = useMemo(() => staleValues(nodes, known), [nodes, known]);
  const error = list.error
    ? `Could not load nodes: ${list.error}`
    : staleMessage(stale, cloud ? 'in the chosen room' : 'by this Netdata');
  return (
    <EditorField
      label="Nodes"
      tooltip={`Nodes to query${cloud ? ' in the chosen room' : ''}; empty means all. Type a hostname pattern such as web* (! excludes) or a $variable for other values.`}
      invalid={!!error}
      error={error}
    >
      <MultiValuePicker
        id={testIds.queryNodes}
        values={nodes}
        options={options}
        loading={list.loading}
        placeholder={cloud ? 'All nodes of the room' : 'All nodes'}
        stale={stale}
        customValueDescription="Use this hostname, pattern (* wildcard, ! excludes) or $variable"
        onChange={onChange}
      />
    </EditorField>
  );
}
