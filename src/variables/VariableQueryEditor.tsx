import React, { useEffect, useMemo, useRef } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Alert, Combobox, ComboboxOption, Input, Text } from '@grafana/ui';

import type { CatalogDataSource } from '../catalog';
import { selectedOption, withSavedValues } from '../components/comboboxOptions';
import { CloudTargetRow } from '../components/fields/CloudTargetRow';
import { ContextField } from '../components/fields/ContextField';
import { NodesField } from '../components/fields/NodesField';
import { isPlainName } from '../components/fields/staleValues';
import { useLoader } from '../components/useLoader';
import type { CloudTarget } from '../resources';
import { testIds } from '../testIds';
import type { NetdataOptions, NetdataQuery, NetdataVariableKind, NetdataVariableQuery } from '../types';
import {
  cleanVariableQuery,
  DEFAULT_VARIABLE_QUERY,
  toVariableQuery,
  VARIABLE_KINDS,
  variableKindInfo,
} from './variableQuery';

type Props = QueryEditorProps<CatalogDataSource, NetdataQuery, NetdataOptions, NetdataVariableQuery>;

const kindOptions = (): Array<ComboboxOption<NetdataVariableKind>> =>
  VARIABLE_KINDS.map((k) => ({ value: k.kind, label: k.label, description: k.description }));

const FILTER_PLACEHOLDER: Record<NetdataVariableKind, string> = {
  nodes: 'Hostnames: web* or /regex/',
  contexts: 'Ids: disk.* or /regex/',
  dimensions: '!idle,* or /regex/',
  instances: 'disk.sd* or /regex/',
  labelKeys: '!_*,* or /regex/',
  labelValues: 'sd* or /regex/',
};

/**
 * The query variable editor: what to list, then the fields that kind needs. A query saved in the text form
 * (jsonnet, provisioning) is shown and saved in the object form; one that cannot be read is reported and replaced
 * by the first change.
 */
export function VariableQueryEditor({ datasource, query: saved, onChange }: Props) {
  const catalog = datasource.catalog;
  const parsed = useMemo(() => toVariableQuery(saved), [saved]);
  const query: NetdataVariableQuery = parsed.ok ? parsed.value : { ...DEFAULT_VARIABLE_QUERY };
  const info = variableKindInfo(query.kind);

  const converted = useRef(false);
  useEffect(() => {
    if (converted.current) {
      return;
    }
    converted.current = true;
    const objectForm = typeof saved === 'object' && saved !== null && typeof saved.kind === 'string';
    if (parsed.ok && !objectForm) {
      onChange(parsed.value);
    }
  }, [saved, parsed, onChange]);

  const update = (patch: Partial<NetdataVariableQuery>) => {
    const next = cleanVariableQuery({ ...query, ...patch, refId: query.refId });
    if (!parsed.ok || JSON.stringify(next) !== JSON.stringify(query)) {
      onChange(next);
    }
  };

  const cloud = catalog.transport === 'cloud';
  const target: CloudTarget = { spaceId: query.spaceId, roomId: query.roomId };
  const nodes = useMemo(() => query.nodes ?? [], [query.nodes]);
  const context = query.context ?? '';
  const targetKey = `${target.spaceId ?? ''}/${target.roomId ?? ''}`;
  const nodesKey = `${targetKey}|${nodes.join('\n')}`;

  const nodeList = useLoader(
    info.usesNodes ? () => catalog.nodes(target) : undefined,
    `${targetKey}|${info.usesNodes}`
  );
  const contextList = useLoader(
    info.usesContext ? () => catalog.contexts(nodes, target) : undefined,
    `${nodesKey}|${info.usesContext}`
  );
  // Label keys to offer: those of a context named plainly or by a single-value variable (a pattern has no details).
  const detailsFor = info.usesLabelKey && context && !/[*!,|]/.test(context) ? context : undefined;
  const details = useLoader(
    detailsFor ? () => catalog.context(detailsFor, nodes, target) : undefined,
    `${nodesKey}|${detailsFor ?? ''}`
  );
  const labelKeyOptions = useMemo<ComboboxOption[]>(() => {
    const labels = details.value?.labels ?? {};
    const keys = Object.keys(labels)
      .sort((a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b))
      .map((key) => ({ value: key, description: labels[key].slice(0, 5).join(', ') }));
    return withSavedValues(keys, query.labelKey ? [query.labelKey] : []);
  }, [details.value, query.labelKey]);
  // A $variable context may stand for several (no details then): no error for it, the keys can still be typed.
  const labelKeyError =
    details.error && isPlainName(context)
      ? `Could not load the context's labels: ${details.error}`
      : query.labelKey && details.value && isPlainName(query.labelKey) && !details.value.labels[query.labelKey]
        ? `${context} has no label "${query.labelKey}" on the chosen nodes`
        : undefined;

  return (
    <EditorRows>
      {!parsed.ok && (
        <Alert severity="error" title="This variable query cannot be read">
          {parsed.error}
        </Alert>
      )}
      {cloud && (
        <CloudTargetRow
          catalog={catalog}
          query={{ refId: query.refId, spaceId: query.spaceId, roomId: query.roomId }}
          onChange={(patch) => update({ spaceId: patch.spaceId, roomId: patch.roomId })}
        />
      )}
      <EditorRow>
        <EditorField label="Query type" tooltip="What the variable lists.">
          <Combobox
            id={testIds.variableKind}
            options={kindOptions()}
            value={query.kind}
            onChange={(option) => option && update({ kind: option.value })}
            width={24}
          />
        </EditorField>
        {info.usesNodes && (
          <NodesField
            nodes={query.nodes}
            list={nodeList}
            cloud={cloud}
            onChange={(value) => update({ nodes: value })}
          />
        )}
        {info.usesContext && (
          <ContextField
            context={query.context}
            list={contextList}
            listKey={nodesKey}
            onChange={(value) => update({ context: value })}
          />
        )}
        {info.usesLabelKey && (
          <EditorField
            label="Label key"
            tooltip="The label whose values to list, e.g. device. A $variable is accepted."
            invalid={!!labelKeyError}
            error={labelKeyError}
          >
            <Combobox
              id={testIds.variableLabelKey}
              options={labelKeyOptions}
              value={selectedOption(query.labelKey, labelKeyOptions)}
              onChange={(option) => update({ labelKey: option?.value || undefined })}
              createCustomValue
              loading={details.loading}
              placeholder="Choose a label key"
              width={30}
            />
          </EditorField>
        )}
        <EditorField
          label="Filter"
          optional
          tooltip={
            `Keeps the ${info.kind === 'nodes' ? 'hostnames' : 'values'} that match: a Netdata pattern ` +
            '(* matches anything, a leading ! excludes, the first match wins, | or , separates) or a /regex/. ' +
            '$variables work.'
          }
        >
          <Input
            id={testIds.variableFilter}
            key={query.filter ?? ''}
            defaultValue={query.filter ?? ''}
            placeholder={FILTER_PLACEHOLDER[info.kind]}
            width={30}
            onBlur={(e) => {
              const next = e.currentTarget.value.trim() || undefined;
              if (next !== query.filter) {
                update({ filter: next });
              }
            }}
          />
        </EditorField>
      </EditorRow>
      <div data-testid={testIds.variableText}>
        <Text variant="bodySmall" color="secondary">
          Text form (for jsonnet and provisioning): <code>{query.query}</code>
        </Text>
      </div>
    </EditorRows>
  );
}
