/** @jest-environment node */
import { NetdataRequestError } from './requestError';
import { requestUrl } from './requestUrl';

describe('requestUrl', () => {
  const base = new URL('http://agent.example:19999/');
  const prefixed = new URL('https://proxy.example/netdata');

  it('joins the base URL and our paths', () => {
    expect(requestUrl(base, '/api/v3/info').href).toBe('http://agent.example:19999/api/v3/info');
    expect(requestUrl(prefixed, '/api/v3/data?scope_contexts=system.cpu&after=1').href).toBe(
      'https://proxy.example/netdata/api/v3/data?scope_contexts=system.cpu&after=1'
    );
  });

  it.each([
    'api/v3/info',
    '//evil.example/api',
    '/api/../../x',
    '/api/%2e%2e/x',
    '/api/./x',
    '/api\\x',
    '/api#frag',
    '/api/\nx',
    '/a%2fb',
  ])('refuses %j (it could leave the base URL)', (path) => {
    expect(() => requestUrl(base, path)).toThrow(NetdataRequestError);
    expect(() => requestUrl(prefixed, path)).toThrow(/Refusing/);
  });

  it('never produces another origin', () => {
    for (const path of ['/@evil.example', '/:80@evil.example/', '/x?y=//evil.example']) {
      const url = requestUrl(base, path);
      expect(url.origin).toBe(base.origin);
    }
  });
});
