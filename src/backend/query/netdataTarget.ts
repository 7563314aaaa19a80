// Where the frames' "Open in Netdata" links point: built from the data source's settings (URL, space, room), never
// from query input other than the Cloud space/room override, which is an id checked like the request path's.
import { withHostPrefix } from '../../netdata/hostNode';
import type { NetdataTarget } from '../../netdata/netdataLinks';
import type { DataSourceInstance } from '../datasource/instance';

export function netdataTarget(inst: DataSourceInstance, model?: { spaceId?: string; roomId?: string }): NetdataTarget {
  const baseUrl = inst.settings.baseUrl.href;
  if (inst.settings.transport === 'agent') {
    return { kind: 'agent', baseUrl: withHostPrefix(baseUrl, inst.settings.hostNode) };
  }
  const spaceId = model?.spaceId ?? inst.settings.spaceId;
  const roomId = model?.roomId ?? inst.settings.roomId;
  return {
    kind: 'cloud',
    baseUrl,
    ...(spaceId !== undefined ? { spaceId } : {}),
    ...(roomId !== undefined ? { roomId } : {}),
  };
}
