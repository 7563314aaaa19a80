/** @jest-environment node */
import type { DataSourceInstanceSettingsMsg } from '../protocol/messages';
import { parseSettings } from './settings';

function settings(
  over: Partial<DataSourceInstanceSettingsMsg> & { json?: unknown; token?: string }
): DataSourceInstanceSettingsMsg {
  const { json, token, ...rest } = over;
  return {
    id: 1,
    name: 'nd',
    url: 'http://localhost:19999',
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: Buffer.from(json === undefined ? '' : JSON.stringify(json)),
    decryptedSecureJsonData: token === undefined ? {} : { token },
    lastUpdatedMS: 1,
    uid: 'abc',
    apiVersion: '',
    ...rest,
  };
}

describe('parseSettings', () => {
  it('defaults to the agent transport with a 30 s timeout and no token', () => {
    const r = parseSettings(settings({}));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.transport).toBe('agent');
      expect(r.value.baseUrl.href).toBe('http://localhost:19999/');
      expect(r.value.timeoutMs).toBe(30000);
      expect(r.value.token).toBeUndefined();
    }
  });

  it('reads jsonData and the decrypted token', () => {
    const r = parseSettings(
      settings({
        url: 'https://app.netdata.cloud/',
        json: { transport: 'cloud', spaceId: ' s1 ', roomId: 'r1', timeout: '12' },
        token: ' tok-123456 ',
      })
    );
    expect(r).toMatchObject({
      ok: true,
      value: { transport: 'cloud', spaceId: 's1', roomId: 'r1', timeoutMs: 12000, token: 'tok-123456' },
    });
  });

  it('uses the Cloud default URL and drops a trailing /api', () => {
    const empty = parseSettings(settings({ url: '', json: { transport: 'cloud' }, token: 'tok-123456' }));
    expect(empty.ok && empty.value.baseUrl.href).toBe('https://app.netdata.cloud/');
    const api = parseSettings(
      settings({ url: 'https://app.netdata.cloud/api/', json: { transport: 'cloud' }, token: 'tok-123456' })
    );
    expect(api.ok && api.value.baseUrl.href).toBe('https://app.netdata.cloud/');
  });

  it('keeps a reverse-proxy path and takes a trailing /host/<node> off as the node to scope to', () => {
    const r = parseSettings(settings({ url: 'http://proxy/netdata/host/child1/' }));
    expect(r.ok && r.value.baseUrl.pathname).toBe('/netdata');
    expect(r.ok && r.value.hostNode).toBe('child1');
    const plain = parseSettings(settings({ url: 'http://proxy/netdata' }));
    expect(plain.ok && plain.value.hostNode).toBeUndefined();
    expect(parseSettings(settings({ url: 'http://p/host/a/host/b' }))).toMatchObject({ ok: false });
  });

  it.each([
    [{ url: '' }, /URL is empty/],
    [{ url: 'localhost:19999' }, /must start with http/],
    [{ url: 'not a url' }, /not a valid URL/],
    [{ url: 'ftp://x' }, /must start with http/],
    [{ url: 'http://u:p@host:19999' }, /user name or password/],
    [{ url: 'http://host:19999/?a=1' }, /query string/],
    [{ json: { transport: 'prometheus' } }, /transport must be "agent" or "cloud"/],
    [{ json: { timeout: -1 } }, /timeout must be/],
    [{ json: { timeout: 'soon' } }, /timeout must be/],
    [{ json: { spaceId: 5 } }, /spaceId must be a string/],
    [{ json: { transport: 'cloud' } }, /needs an API token/],
    [{ jsonData: Buffer.from('{oops') }, /not valid JSON/],
    [{ jsonData: Buffer.from('[1]') }, /not a JSON object/],
  ])('refuses %j with a clear error', (over, message) => {
    const r = parseSettings(settings(over as Partial<DataSourceInstanceSettingsMsg>));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(message);
    }
  });

  it('refuses missing settings', () => {
    expect(parseSettings(null)).toEqual({ ok: false, error: expect.stringMatching(/no data source settings/) });
  });
});
