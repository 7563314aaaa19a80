// go-plugin's handshake as Grafana configures it (grafana-backend-protocol.md §1.1–1.3).

export const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
export const MAGIC_COOKIE_VALUE = 'datasource';
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 2;

/** go-plugin's text for a plugin binary started by hand. */
export const NOT_A_COMMAND_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';

export type Env = Record<string, string | undefined>;

export function hasMagicCookie(env: Env): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

/** The app protocol version to answer, or an error when Grafana does not accept ours. */
export function negotiateVersion(env: Env): { ok: true; version: number } | { ok: false; error: string } {
  const raw = (env.PLUGIN_PROTOCOL_VERSIONS ?? '').trim();
  if (raw === '') {
    return { ok: true, version: APP_PROTOCOL_VERSION };
  }
  const offered = raw.split(',').map((v) => Number(v.trim()));
  if (offered.includes(APP_PROTOCOL_VERSION)) {
    return { ok: true, version: APP_PROTOCOL_VERSION };
  }
  return {
    ok: false,
    error: `Incompatible plugin protocol versions: the host offers ${raw}, this plugin speaks ${APP_PROTOCOL_VERSION}`,
  };
}

export interface ListenAddress {
  network: 'unix' | 'tcp';
  /** Socket path, or host:port. */
  address: string;
}

export function handshakeLine(addr: ListenAddress, version = APP_PROTOCOL_VERSION): string {
  return `${CORE_PROTOCOL_VERSION}|${version}|${addr.network}|${addr.address}|grpc\n`;
}
