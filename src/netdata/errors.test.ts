/** @jest-environment node */
import { bodyExcerpt, netdataErrorMessage } from './errors';

const AGENT_TOKEN = '0b6a2f1e-7c4d-4e8f-9a1b-2c3d4e5f6a7b';
const CLOUD_TOKEN = 'ndc.Xk29sLq8wPz3vTm6yRb1nC4eFh7jGd0aUi5oKp2sQw9rTy3uIo8pAs1dFg6hJk4l';

describe('netdataErrorMessage (agent)', () => {
  it.each([412, 401])('explains the bearer token on %p', (status) => {
    const m = netdataErrorMessage(status, 'You need to be authorized to access this resource', 'agent');
    expect(m).toMatch(new RegExp(`bearer token \\(HTTP ${status}\\)`));
    expect(m).toMatch(/Cloud API token is not accepted/);
  });

  it('explains 403 and 451', () => {
    expect(netdataErrorMessage(403, "You don't have enough permissions to access this resource", 'agent')).toMatch(
      /HTTP 403.*permissions/
    );
    expect(netdataErrorMessage(451, 'You need to be authorized to access this resource', 'agent')).toMatch(
      /HTTP 451.*allow dashboard from/
    );
  });

  it.each([
    ['Unsupported API version: v3', /no \/api\/v3 \(it is older than v2\.0\)/],
    ['Unsupported API version: v2', /too old: it has no \/api\/v2 \(added in v1\.39\)/],
    ['This netdata does not maintain a database for host: web9', /\/host\/<node> prefix/],
    ['Unsupported API command: data', /does not support this API endpoint/],
    ['<html><body>nginx</body></html>', /^Not found \(HTTP 404\): check that the URL points at a Netdata agent/],
  ])('explains 404 %p', (body, message) => {
    expect(netdataErrorMessage(404, body, 'agent')).toMatch(message);
  });

  it('does not repeat an HTML page', () => {
    expect(netdataErrorMessage(404, '<!DOCTYPE html><html>…</html>', 'agent')).not.toContain('<');
  });

  it.each([499, 504])('calls %p a timeout', (status) => {
    expect(netdataErrorMessage(status, '', 'agent')).toMatch(new RegExp(`timed out \\(HTTP ${status}\\)`));
  });

  it('quotes short plain bodies of other errors', () => {
    expect(netdataErrorMessage(500, 'Failed to prepare the query.', 'agent')).toBe(
      'Netdata agent could not run the query (HTTP 500) (Netdata said: Failed to prepare the query.)'
    );
    expect(netdataErrorMessage(418, 'teapot', 'agent')).toBe('Netdata agent answered HTTP 418 (Netdata said: teapot)');
    expect(netdataErrorMessage(503, '', 'agent')).toBe(
      'Netdata agent is unavailable (HTTP 503); it may still be starting'
    );
  });

  it('truncates long bodies and strips control characters', () => {
    const m = netdataErrorMessage(500, `a\nb\t${'word '.repeat(200)}`, 'agent');
    expect(m.length).toBeLessThan(420);
    expect(m).not.toMatch(/[\n\t]/);
  });
});

describe('netdataErrorMessage (cloud)', () => {
  it('reads errorMessage, errorMsgKey, message in that order', () => {
    const body = '{"errorMsgKey":"ErrBadRequest","errorMessage":"Bad Request","errorCode":"1BIKRyPlV9-124244066"}';
    expect(netdataErrorMessage(400, body, 'cloud')).toBe(
      'Netdata Cloud rejected the query (HTTP 400) (Netdata said: Bad Request)'
    );
    expect(netdataErrorMessage(400, '{"errorMsgKey":"ErrBadRequest"}', 'cloud')).toContain('ErrBadRequest');
    expect(netdataErrorMessage(400, '{"message":"bad nodes"}', 'cloud')).toContain('bad nodes');
  });

  it('explains token and permission failures', () => {
    expect(netdataErrorMessage(401, '', 'cloud')).toMatch(/rejected the API token \(HTTP 401\).*scope grafana-plugin/);
    expect(netdataErrorMessage(403, '{"errorMsgKey":"ErrForbidden"}', 'cloud')).toMatch(/denied access \(HTTP 403\)/);
    expect(netdataErrorMessage(404, '<html>not here</html>', 'cloud')).toBe(
      'Netdata Cloud: not found (HTTP 404); check the space and room'
    );
    expect(netdataErrorMessage(429, '', 'cloud')).toMatch(/rate limiting/);
  });

  it('names the Cloud error keys of failed fan-outs', () => {
    expect(
      netdataErrorMessage(
        500,
        '{"errorMsgKey":"ErrAllNodesFailed","errorMessage":"All agents failed to return data"}',
        'cloud'
      )
    ).toMatch(/^Netdata Cloud: all agents failed to return data \(HTTP 500\)/);
    expect(netdataErrorMessage(503, '{"errorMsgKey":"ErrNoQueryableNodeInstanceFound"}', 'cloud')).toMatch(
      /no node in this room can answer/
    );
  });
});

describe('tokens never appear', () => {
  const bodies = [
    `Authorization: Bearer ${AGENT_TOKEN}`,
    `{"errorMessage":"invalid token: ${CLOUD_TOKEN}"}`,
    `{"message":"Bearer ${CLOUD_TOKEN} revoked"}`,
    `token=${AGENT_TOKEN}&x=1`,
    `bad ${CLOUD_TOKEN}`,
  ];
  it.each(bodies)('%p', (body) => {
    for (const transport of ['agent', 'cloud'] as const) {
      for (const status of [400, 401, 403, 404, 412, 500, 502]) {
        const m = netdataErrorMessage(status, body, transport);
        expect(m).not.toContain(AGENT_TOKEN);
        expect(m).not.toContain(CLOUD_TOKEN);
      }
    }
    expect(bodyExcerpt(body)).toContain('[redacted]');
  });
});
