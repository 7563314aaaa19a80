// "Save & test" for Netdata Cloud: the token (accounts/me), then the default space and room, then their nodes.
import { parseNodes, parseRooms, parseSpaces } from '../../netdata/catalog';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { cloudPaths } from '../resources/cloudPaths';
import type { CheckHealthResponseMsg } from '../protocol/messages';
import { errorText, healthError, healthOk, plural, shownUrl, type HealthStep } from './healthResult';

const NIL_UUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

function names(items: Array<{ name: string }>): string {
  const shown = items.slice(0, 5).map((i) => `"${i.name}"`);
  return items.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ') || 'none';
}

export async function checkCloudHealth(
  inst: DataSourceInstance,
  opts: RequestOptions
): Promise<CheckHealthResponseMsg> {
  const { client, settings } = inst;
  const url = shownUrl(settings.baseUrl);
  let me: unknown;
  try {
    me = await client.getJson(cloudPaths.me(), opts);
  } catch (err) {
    return healthError(`Netdata Cloud token check failed: ${errorText(err)}`, 'token', err);
  }
  const id = me !== null && typeof me === 'object' ? (me as Record<string, unknown>).id : undefined;
  if (typeof id !== 'string' || NIL_UUID.test(id)) {
    return healthError(
      `Netdata Cloud at ${url} did not accept the API token (no account behind it): create a new token in Netdata ` +
        'Cloud (User Settings → API Tokens, scope grafana-plugin)',
      'token'
    );
  }
  let step = 'listing spaces';
  let stepId: HealthStep = 'spaces';
  try {
    const spaces = parseSpaces(await client.getJson(cloudPaths.spaces(), opts));
    if (!settings.spaceId) {
      return healthOk(
        `Connected to Netdata Cloud at ${url}: token valid, ${plural(spaces.length, 'space')} visible; no default ` +
          'space and room are set, so every query must choose them',
        { transport: 'cloud', spaces: spaces.length }
      );
    }
    const space = spaces.find((s) => s.id === settings.spaceId);
    if (!space) {
      return healthError(
        `The space "${settings.spaceId}" is not among the ${plural(spaces.length, 'space')} this token can see ` +
          `(${names(spaces)}): choose another space`,
        'spaces'
      );
    }
    step = `listing the rooms of space "${space.name}"`;
    stepId = 'rooms';
    const rooms = parseRooms(await client.getJson(cloudPaths.rooms(space.id), opts));
    if (!settings.roomId) {
      return healthOk(
        `Connected to Netdata Cloud at ${url}: space "${space.name}" (${plural(rooms.length, 'room')}); no default ` +
          'room is set, so every query must choose one',
        { transport: 'cloud', space: space.name, rooms: rooms.length }
      );
    }
    const room = rooms.find((r) => r.id === settings.roomId);
    if (!room) {
      return healthError(
        `The room "${settings.roomId}" is not one of the ${plural(rooms.length, 'room')} of space "${space.name}" ` +
          `(${names(rooms)}): choose another room`,
        'rooms'
      );
    }
    step = `listing the nodes of room "${room.name}"`;
    stepId = 'nodes';
    const nodes = parseNodes(await client.postJson(cloudPaths.nodes(space.id, room.id), {}, opts));
    return healthOk(
      `Connected to Netdata Cloud at ${url}: space "${space.name}", room "${room.name}": ${plural(nodes.length, 'node')}`,
      { transport: 'cloud', space: space.name, room: room.name, nodes: nodes.length }
    );
  } catch (err) {
    return healthError(`Netdata Cloud check failed while ${step}: ${errorText(err)}`, stepId, err);
  }
}
