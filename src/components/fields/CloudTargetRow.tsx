import React from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';

import type { NetdataCatalog } from '../../catalog';
import { testIds } from '../../testIds';
import type { NetdataQuery } from '../../types';
import { NamedItemPicker } from '../NamedItemPicker';
import { useLoader } from '../useLoader';

interface Props {
  catalog: NetdataCatalog;
  query: NetdataQuery;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

/**
 * Netdata Cloud only: the space and room this query runs in. Empty means the data source's defaults, named in
 * the placeholders. Changing the space clears the room (rooms belong to a space).
 */
export function CloudTargetRow({ catalog, query, onChange }: Props) {
  const spaceId = query.spaceId || catalog.defaultSpaceId;
  const spaces = useLoader(() => catalog.spaces(), 'spaces');
  const rooms = useLoader(spaceId ? () => catalog.rooms(spaceId) : undefined, spaceId ?? '');

  const defaultSpace = catalog.defaultSpaceId;
  const defaultSpaceName = defaultSpace && (spaces.value?.find((s) => s.id === defaultSpace)?.name ?? defaultSpace);
  // The default room belongs to the default space only.
  const defaultRoom = !query.spaceId || query.spaceId === defaultSpace ? catalog.defaultRoomId : undefined;
  const defaultRoomName = defaultRoom && (rooms.value?.find((r) => r.id === defaultRoom)?.name ?? defaultRoom);

  return (
    <EditorRow>
      <EditorField
        label="Space"
        optional
        tooltip="Empty uses the data source's default space."
        invalid={!!spaces.error}
        error={spaces.error ? `Could not load spaces: ${spaces.error}` : undefined}
      >
        <NamedItemPicker
          id={testIds.querySpace}
          value={query.spaceId}
          items={spaces.error ? undefined : spaces.value}
          loading={spaces.loading}
          placeholder={defaultSpaceName ? `Default: ${defaultSpaceName}` : 'Space id'}
          width={30}
          onChange={(value) => onChange({ spaceId: value, roomId: undefined })}
        />
      </EditorField>
      <EditorField
        label="Room"
        optional
        tooltip="Empty uses the data source's default room. Nodes and contexts below are those of this room."
        invalid={!!rooms.error}
        error={rooms.error ? `Could not load rooms: ${rooms.error}` : undefined}
      >
        <NamedItemPicker
          id={testIds.queryRoom}
          value={query.roomId}
          items={rooms.error ? undefined : rooms.value}
          loading={rooms.loading}
          placeholder={defaultRoomName ? `Default: ${defaultRoomName}` : spaceId ? 'Room id' : 'Choose a space first'}
          width={30}
          onChange={(value) => onChange({ roomId: value })}
        />
      </EditorField>
    </EditorRow>
  );
}
