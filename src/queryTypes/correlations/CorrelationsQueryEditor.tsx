import React, { useMemo } from 'react';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption } from '@grafana/ui';

import { CloudTargetRow } from '../../components/fields/CloudTargetRow';
import { LabelFiltersRow } from '../../components/fields/LabelFiltersRow';
import { NodesField } from '../../components/fields/NodesField';
import { isPlainName } from '../../components/fields/staleValues';
import { TextField, WholeNumberField } from '../../components/fields/TextField';
import { useLoader } from '../../components/useLoader';
import {
  CorrelationMethod,
  DEFAULT_CORRELATIONS,
  MAX_BASELINE,
  MAX_CORRELATIONS_LIMIT,
  usesBaseline,
} from '../../netdata/correlations';
import { CORRELATIONS_QUERY_TYPE } from '../../netdata/queryType';
import type { CloudTarget } from '../../resources';
import { testIds } from '../../testIds';
import type { NetdataQuery } from '../../types';
import type { QueryTypeEditorProps } from '../editorProps';

/** What each method measures (netdata-api-extra.md §1.2); every score is "higher = more changed". */
export const METHOD_OPTIONS: Array<ComboboxOption<CorrelationMethod>> = [
  {
    value: 'ks2',
    label: 'ks2',
    description: 'Kolmogorov–Smirnov test: how differently the series moved in the time range than in the baseline',
  },
  {
    value: 'volume',
    label: 'volume',
    description: 'How much the average of the time range moved away from the baseline average',
  },
  {
    value: 'anomaly-rate',
    label: 'anomaly rate',
    description: "Share of anomalous samples in the time range (Netdata's ML); no baseline",
  },
  { value: 'value', label: 'value', description: 'The average of the time range itself; no baseline' },
];

export const CONTEXTS_HINT =
  'Netdata pattern over context ids: * is every context, system.* every system chart, !apps.*,* all but apps. ' +
  '$variables work.';

/**
 * Metric correlations: what changed most in the panel's time range (the highlight) compared with a baseline
 * window just before it, over the chosen nodes, contexts and labels.
 */
export function CorrelationsQueryEditor({ catalog, query, onChange, onRunQuery }: QueryTypeEditorProps) {
  const target: CloudTarget = { spaceId: query.spaceId, roomId: query.roomId };
  const nodes = useMemo(() => query.nodes ?? [], [query.nodes]);
  const targetKey = `${target.spaceId ?? ''}/${target.roomId ?? ''}`;
  const nodesKey = `${targetKey}|${nodes.join('\n')}`;
  const contexts = query.contexts ?? DEFAULT_CORRELATIONS.contexts;
  const method = query.method ?? DEFAULT_CORRELATIONS.method;

  const nodeList = useLoader(() => catalog.nodes(target), targetKey);
  // Label keys and values are offered when the pattern names one context; otherwise typed values still work.
  const oneContext = isPlainName(contexts) ? contexts : undefined;
  const details = useLoader(
    oneContext ? () => catalog.context(oneContext, nodes, target) : undefined,
    `${nodesKey}|${oneContext ?? ''}`
  );

  const update = (patch: Partial<NetdataQuery>) => {
    onChange({ ...query, ...patch, queryType: CORRELATIONS_QUERY_TYPE });
    onRunQuery();
  };
  const cloud = catalog.transport === 'cloud';

  return (
    <EditorRows>
      {cloud && <CloudTargetRow catalog={catalog} query={query} onChange={update} />}
      <EditorRow>
        <NodesField nodes={query.nodes} list={nodeList} cloud={cloud} onChange={(value) => update({ nodes: value })} />
        <TextField
          id={testIds.queryContexts}
          label="Contexts"
          tooltip={CONTEXTS_HINT}
          value={query.contexts}
          placeholder="* (every context)"
          width={36}
          onChange={(value) => update({ contexts: value ?? DEFAULT_CORRELATIONS.contexts })}
        />
      </EditorRow>
      <LabelFiltersRow query={query} details={details} onChange={update} />
      <EditorRow>
        <EditorField label="Method" tooltip="How a change is scored. Every score is higher for more change.">
          <Combobox<CorrelationMethod>
            id={testIds.queryMethod}
            options={METHOD_OPTIONS}
            value={method}
            onChange={(option) => update({ method: option.value })}
            width={24}
          />
        </EditorField>
        <WholeNumberField
          id={testIds.queryBaseline}
          label="Baseline"
          tooltip="Length of the window before the time range to compare with, as a multiple of the time range (Netdata rounds it up to a power of two). ks2 and volume only."
          value={query.baseline}
          placeholder={`${DEFAULT_CORRELATIONS.baseline}×`}
          min={1}
          max={MAX_BASELINE}
          disabled={!usesBaseline(method)}
          onChange={(baseline) => update({ baseline })}
        />
        <WholeNumberField
          id={testIds.queryRows}
          label="Rows"
          tooltip="The most changed series to return."
          value={query.limit}
          placeholder={String(DEFAULT_CORRELATIONS.limit)}
          min={1}
          max={MAX_CORRELATIONS_LIMIT}
          onChange={(limit) => update({ limit })}
        />
      </EditorRow>
    </EditorRows>
  );
}
