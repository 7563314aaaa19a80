/** @jest-environment node */
import { handshakeLine, hasMagicCookie, negotiateVersion } from './handshake';

describe('go-plugin handshake', () => {
  it('requires grafana_plugin_type=datasource', () => {
    expect(hasMagicCookie({ grafana_plugin_type: 'datasource' })).toBe(true);
    expect(hasMagicCookie({ grafana_plugin_type: 'app' })).toBe(false);
    expect(hasMagicCookie({})).toBe(false);
  });

  it('answers version 2 when the host offers it (or says nothing)', () => {
    expect(negotiateVersion({ PLUGIN_PROTOCOL_VERSIONS: '2' })).toEqual({ ok: true, version: 2 });
    expect(negotiateVersion({ PLUGIN_PROTOCOL_VERSIONS: '1, 2' })).toEqual({ ok: true, version: 2 });
    expect(negotiateVersion({})).toEqual({ ok: true, version: 2 });
    expect(negotiateVersion({ PLUGIN_PROTOCOL_VERSIONS: '1,3' })).toMatchObject({ ok: false });
  });

  it('formats CORE|APP|NETWORK|ADDRESS|PROTOCOL with a newline', () => {
    expect(handshakeLine({ network: 'unix', address: '/tmp/plugin0a1b' })).toBe('1|2|unix|/tmp/plugin0a1b|grpc\n');
    expect(handshakeLine({ network: 'tcp', address: '127.0.0.1:12345' })).toBe('1|2|tcp|127.0.0.1:12345|grpc\n');
  });
});
