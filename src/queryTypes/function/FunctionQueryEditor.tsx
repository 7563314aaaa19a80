import React from 'react';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Alert, Combobox, Input } from '@grafana/ui';

import { useLoader } from '../../components/useLoader';
import { FUNCTION_QUERY_TYPE } from '../../netdata/queryType';
import type { NetdataQuery } from '../../types';
import type { QueryTypeEditorProps } from '../editorProps';

/** A Netdata function's table: pick the node, then one of the functions that node offers, and its arguments. */
export function FunctionQueryEditor({ catalog, query, onChange, onRunQuery }: QueryTypeEditorProps) {
  const nodes = useLoader(() => catalog.nodes({}), 'nodes');
  const functions = useLoader(() => catalog.functions(query.node), `functions/${query.node ?? ''}`);
  const update = (patch: Partial<NetdataQuery>) => {
    onChange({ ...query, ...patch, queryType: FUNCTION_QUERY_TYPE });
    onRunQuery();
  };
  const chosen = functions.value?.find((f) => f.name === query.function);
  const tableFunctions = (functions.value ?? []).filter((f) => f.tags !== 'logs');
  return (
    <EditorRows>
      <EditorRow>
        <EditorField
          label="Node"
          tooltip="The node that runs the function (on a Parent: one of its children). Empty: the agent itself."
        >
          <Combobox
            id="netdata-function-node"
            isClearable
            options={(nodes.value ?? []).map((n) => ({ label: n.hostname, value: n.machineGuid }))}
            value={query.node ?? null}
            onChange={(option) => update({ node: option?.value || undefined, function: undefined })}
            width={30}
          />
        </EditorField>
        <EditorField
          label="Function"
          tooltip="The functions this node offers. Those marked 'signed-in' need a bearer token of a signed-in Netdata user."
          error={functions.error ? `Could not load the functions: ${functions.error}` : undefined}
          invalid={!!functions.error}
        >
          <Combobox
            id="netdata-function-name"
            loading={functions.loading}
            options={tableFunctions.map((f) => ({
              label: f.name,
              value: f.name,
              description: f.needsSignIn ? `${f.help} (signed-in)` : f.help,
            }))}
            value={query.function ?? null}
            onChange={(option) => update({ function: option.value })}
            width={36}
          />
        </EditorField>
        <EditorField
          label="Arguments"
          tooltip="Further words of the function's command line, space separated (optional)."
        >
          <Input
            id="netdata-function-args"
            value={query.args ?? ''}
            width={30}
            onChange={(e) =>
              onChange({ ...query, args: e.currentTarget.value || undefined, queryType: FUNCTION_QUERY_TYPE })
            }
            onBlur={onRunQuery}
          />
        </EditorField>
      </EditorRow>
      {chosen?.help && (
        <Alert severity="info" title={chosen.name}>
          {chosen.help}
        </Alert>
      )}
    </EditorRows>
  );
}
