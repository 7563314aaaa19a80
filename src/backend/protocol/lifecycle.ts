// Process lifecycle as go-plugin servers behave: SIGINT ignored, SIGTERM and the Shutdown RPC stop gracefully,
// and the process exits when Grafana (its parent) is gone. The socket file is removed on every way out.
import { unlinkSync } from 'node:fs';
import type { Logger } from '../log/logger';
import type { Listener } from './listen';
import type { PluginServer } from './pluginServer';

/** Grafana waits 2 s after Shutdown before SIGKILL; stay well inside. */
const FORCE_AFTER_MS = 800;
const PARENT_POLL_MS = 1000;

export interface Lifecycle {
  stop(reason: string): void;
  /** The gRPC server is up (it loads after the handshake); a stop from now on shuts it down gracefully. */
  serving(plugin: PluginServer): void;
}

export function manageLifecycle(
  listener: Listener,
  log: Logger,
  exit: (code: number) => void = (code) => process.exit(code)
): Lifecycle {
  const addr = listener.addr;
  let plugin: PluginServer | undefined;
  let stopping = false;
  const removeSocket = () => {
    if (addr.network === 'unix') {
      try {
        unlinkSync(addr.address);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', removeSocket);

  const stop = (reason: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.debug('plugin stopping', { reason });
    listener.server.close();
    const finish = () => {
      removeSocket();
      exit(0);
    };
    if (!plugin) {
      finish();
      return;
    }
    const server = plugin.server;
    plugin.endStreams();
    const force = setTimeout(() => {
      server.forceShutdown();
      finish();
    }, FORCE_AFTER_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      finish();
    });
  };

  // Ctrl-C in Grafana's terminal reaches us too; Grafana stops its plugins itself.
  process.on('SIGINT', () => log.debug('SIGINT ignored'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      stop('parent process exited');
    }
  }, PARENT_POLL_MS);
  watch.unref();

  return {
    stop,
    serving(p) {
      plugin = p;
    },
  };
}
