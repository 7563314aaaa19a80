import React, { useMemo } from 'react';
import { DataSourceSettings } from '@grafana/data';
import { ConfigSection } from '@grafana/plugin-ui';
import { getBackendSrv } from '@grafana/runtime';
import { Field } from '@grafana/ui';
import { lastValueFrom } from 'rxjs';

import { fetchRooms, fetchSpaces, ResourceGet } from '../resources';
import type { NetdataOptions, NetdataSecureJsonData } from '../types';
import { NamedItemPicker } from './NamedItemPicker';
import { useLoader } from './useLoader';
import { testIds } from '../testIds';

type Settings = DataSourceSettings<NetdataOptions, NetdataSecureJsonData>;

interface Props {
  options: Settings;
  onJsonDataChange: (patch: Partial<NetdataOptions>) => void;
}

/** The Cloud default space and room, picked from lists the backend loads with the saved URL and token. */
export function CloudDefaults({ options, onJsonDataChange }: Props) {
  const { uid, version, jsonData } = options;
  const tokenSaved = !!options.secureJsonFields?.token;
  const get = useMemo(() => (uid ? resourceGetter(uid) : undefined), [uid]);
  const canLoad = !!get && tokenSaved;

  // `version` changes on every save, so the lists follow a newly saved URL or token.
  const spaces = useLoader(canLoad ? () => fetchSpaces(get) : undefined, `${uid}:${version}`);
  const spaceId = jsonData.spaceId;
  const rooms = useLoader(
    canLoad && spaceId ? () => fetchRooms(get, spaceId) : undefined,
    `${uid}:${version}:${spaceId}`
  );

  const hint = canLoad
    ? undefined
    : 'Save the data source with a Cloud API token to choose from your spaces and rooms; until then type the ids.';

  return (
    <ConfigSection
      title="Netdata Cloud defaults"
      description="Queries run in this space and room unless a query chooses another one."
    >
      <Field
        label="Default space"
        description={hint}
        invalid={!!spaces.error}
        error={spaces.error ? `Could not load spaces: ${spaces.error}` : undefined}
      >
        <NamedItemPicker
          id={testIds.configSpace}
          value={spaceId}
          items={spaces.error ? undefined : spaces.value}
          loading={spaces.loading}
          placeholder="Space id"
          onChange={(value) =>
            onJsonDataChange({ spaceId: value, roomId: value === spaceId ? jsonData.roomId : undefined })
          }
        />
      </Field>
      <Field
        label="Default room"
        invalid={!!rooms.error}
        error={rooms.error ? `Could not load rooms: ${rooms.error}` : undefined}
      >
        <NamedItemPicker
          id={testIds.configRoom}
          value={jsonData.roomId}
          items={rooms.error ? undefined : rooms.value}
          loading={rooms.loading}
          placeholder={spaceId ? 'Room id' : 'Choose a space first'}
          disabled={!spaceId}
          onChange={(value) => onJsonDataChange({ roomId: value })}
        />
      </Field>
    </ConfigSection>
  );
}

/** The config page has no DataSource instance: call the backend's resource routes by uid, as getResource does. */
function resourceGetter(uid: string): ResourceGet {
  return async (route, params) => {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: `/api/datasources/uid/${uid}/resources/${route}`,
        params,
        showErrorAlert: false,
      })
    );
    return response.data;
  };
}
