import React from 'react';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';

import { CloudTargetRow } from '../../components/fields/CloudTargetRow';
import { NodesField } from '../../components/fields/NodesField';
import { useLoader } from '../../components/useLoader';
import { NODES_QUERY_TYPE } from '../../netdata/queryType';
import type { CloudTarget } from '../../resources';
import type { NetdataQuery } from '../../types';
import type { QueryTypeEditorProps } from '../editorProps';

/** The node inventory: one table row per node (hostname, ids, version, OS, reachability, alert counts, labels). */
export function NodesQueryEditor({ catalog, query, onChange, onRunQuery }: QueryTypeEditorProps) {
  const target: CloudTarget = { spaceId: query.spaceId, roomId: query.roomId };
  const nodeList = useLoader(() => catalog.nodes(target), `${target.spaceId ?? ''}/${target.roomId ?? ''}`);
  const update = (patch: Partial<NetdataQuery>) => {
    onChange({ ...query, ...patch, queryType: NODES_QUERY_TYPE });
    onRunQuery();
  };
  const cloud = catalog.transport === 'cloud';
  return (
    <EditorRows>
      {cloud && <CloudTargetRow catalog={catalog} query={query} onChange={update} />}
      <EditorRow>
        <NodesField nodes={query.nodes} list={nodeList} cloud={cloud} onChange={(value) => update({ nodes: value })} />
      </EditorRow>
    </EditorRows>
  );
}
