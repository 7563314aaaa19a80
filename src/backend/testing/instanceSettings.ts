// Test support only: the DataSourceInstanceSettings Grafana sends, for a data source with this jsonData and token.
import type { DataSourceInstanceSettingsMsg } from '../protocol/messages';

export function instanceSettings(
  json: object = {},
  token?: string,
  url = 'http://agent:19999',
  uid = 'u'
): DataSourceInstanceSettingsMsg {
  return {
    id: 1,
    name: 'nd',
    url,
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: Buffer.from(JSON.stringify(json)),
    decryptedSecureJsonData: token ? { token } : {},
    lastUpdatedMS: 1,
    uid,
    apiVersion: '',
  };
}
