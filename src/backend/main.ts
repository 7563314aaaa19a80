// Entry point of the backend executable that Grafana starts (gpx_netdata_<os>_<arch>).
// The handshake goes out as soon as the socket is bound; the gRPC server and everything behind it load right
// after, while Grafana dials (its first call waits in the socket's queue). Start-up is most of what Grafana waits
// for on first use and after every restart, and grpc-js is most of the start-up.
import { logger } from './log/logger';
import { scrubSecrets } from './log/secrets';
import { guardStdout } from './log/stdoutGuard';
import { handshakeLine, hasMagicCookie, negotiateVersion, NOT_A_COMMAND_MESSAGE } from './protocol/handshake';
import { manageLifecycle, type Lifecycle } from './protocol/lifecycle';
import { listen } from './protocol/listen';

async function main(): Promise<void> {
  // First of all: stdout carries the handshake line and nothing else, ever.
  const writeHandshake = guardStdout(logger);
  if (!hasMagicCookie(process.env)) {
    process.stderr.write(NOT_A_COMMAND_MESSAGE);
    process.exit(1);
  }
  const version = negotiateVersion(process.env);
  if (!version.ok) {
    logger.error(version.error);
    process.exit(1);
  }
  process.on('uncaughtException', (err) =>
    logger.error('uncaught exception', { error: scrubSecrets(err.stack ?? err.message) })
  );
  process.on('unhandledRejection', (err) => logger.error('unhandled rejection', { error: err }));

  const listener = await listen(process.env, logger);
  const lifecycle: Lifecycle = manageLifecycle(listener, logger);
  writeHandshake(handshakeLine(listener.addr, version.version));

  const { createPluginServer } = await import('./protocol/pluginServer');
  const plugin = createPluginServer({ log: logger, onShutdown: () => lifecycle.stop('Shutdown RPC') });
  lifecycle.serving(plugin);
  listener.serve(plugin.acceptConnection);
  logger.info('Netdata plugin started', {
    network: listener.addr.network,
    address: listener.addr.address,
    pid: process.pid,
  });
}

main().catch((err: unknown) => {
  logger.error('plugin failed to start', { error: err });
  process.exit(1);
});
