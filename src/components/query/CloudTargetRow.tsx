import React from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';

import type { DataSource } from '../../datasource';
import type { NetdataQuery } from '../../types';
import { NamedItemPicker } from '../NamedItemPicker';
import { useLoader } from '../useLoader';

interface Props {
  datasource: DataSource;
  query: NetdataQuery;
  onChange: (patch: Partial<NetdataQuery>) => void;
}

/** Netdata Cloud only: run this query in another space or room than the data source's defaults. */
export function CloudTargetRow({ datasource, query, onChange }: Props) {
  const spaceId = query.spaceId || datasource.defaultSpaceId;
  const spaces = useLoader(() => datasource.getSpaces(), 'spaces');
  const rooms = useLoader(spaceId ? () => datasource.getRooms(spaceId) : undefined, spaceId ?? '');

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
          id="netdata-query-space"
          value={query.spaceId}
          items={spaces.error ? undefined : spaces.value}
          loading={spaces.loading}
          placeholder={datasource.defaultSpaceId ? 'Default space' : 'Space id'}
          width={30}
          onChange={(value) => onChange({ spaceId: value, roomId: undefined })}
        />
      </EditorField>
      <EditorField
        label="Room"
        optional
        tooltip="Empty uses the data source's default room."
        invalid={!!rooms.error}
        error={rooms.error ? `Could not load rooms: ${rooms.error}` : undefined}
      >
        <NamedItemPicker
          id="netdata-query-room"
          value={query.roomId}
          items={rooms.error ? undefined : rooms.value}
          loading={rooms.loading}
          placeholder={datasource.defaultRoomId && !query.spaceId ? 'Default room' : 'Room id'}
          width={30}
          onChange={(value) => onChange({ roomId: value })}
        />
      </EditorField>
    </EditorRow>
  );
}
