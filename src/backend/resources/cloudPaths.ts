// Netdata Cloud paths (netdata-api.md §6.2); ids are validated before they go into a path.
import { validatePathId } from '../../netdata/cloudRequest';
import { NetdataRequestError } from '../datasource/requestError';

function id(value: string, what: 'space' | 'room'): string {
  try {
    return encodeURIComponent(validatePathId(value, what));
  } catch (err) {
    throw new NetdataRequestError('bad-query', err instanceof Error ? err.message : String(err), 400, 'plugin');
  }
}

export const cloudPaths = {
  me: (): string => '/api/v2/accounts/me',
  spaces: (): string => '/api/v2/spaces',
  rooms: (space: string): string => `/api/v2/spaces/${id(space, 'space')}/rooms`,
  nodes: (space: string, room: string): string =>
    `/api/v3/spaces/${id(space, 'space')}/rooms/${id(room, 'room')}/nodes`,
  contexts: (space: string, room: string): string =>
    `/api/v3/spaces/${id(space, 'space')}/rooms/${id(room, 'room')}/contexts`,
};
