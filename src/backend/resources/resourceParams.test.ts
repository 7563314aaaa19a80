/** @jest-environment node */
import { NetdataRequestError } from '../datasource/requestError';
import { checkId, ResourceParams } from './resourceParams';

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NetdataRequestError);
    expect((err as NetdataRequestError).status).toBe(400);
    return (err as NetdataRequestError).message;
  }
  throw new Error('expected a refusal');
}

describe('checkId', () => {
  it('accepts Netdata ids and node names', () => {
    for (const id of ['system.cpu', 'disk.io', '7622017c-d2f5-4112-8149-5e13e2ef7ff1', 'web 01', 'k8s_node:a']) {
      expect(checkId(id, 'x')).toBe(id);
    }
  });

  it.each(['../x', 'a/b', 'a\\b', 'a@b', 'a%2Fb', 'a?b', 'a#b', 'a&b', 'a=b', 'a;b', 'a|b', 'a,b', 'a\r\nb', '..'])(
    'refuses %j',
    (id) => {
      expect(refused(() => checkId(id, 'context'))).toMatch(/context .* is not a valid id/);
    }
  );
});

describe('ResourceParams', () => {
  it('refuses parameters the route does not take, and checks the values of those it does', () => {
    expect(refused(() => new ResourceParams('nodes?x=1').onlyAllow('nodes', ['spaceId']))).toMatch(
      /Unknown parameter "x" for the resource nodes, which takes only spaceId/
    );
    expect(refused(() => new ResourceParams('spaces?a=1').onlyAllow('spaces', []))).toMatch(/takes no parameters/);
    expect(refused(() => new ResourceParams('nodes?spaceId=..%2Fa').onlyAllow('nodes', ['spaceId']))).toMatch(
      /not a valid id/
    );
    expect(() => new ResourceParams('contexts?nodes=a&nodes=b').onlyAllow('contexts', ['nodes'])).not.toThrow();
  });

  it('refuses an absurdly long query string', () => {
    expect(refused(() => new ResourceParams(`nodes?spaceId=${'a'.repeat(40_000)}`))).toMatch(/too long/);
  });
});
