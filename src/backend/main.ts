// Entry point of the backend executable that Grafana starts (gpx_netdata_<os>_<arch>).
import { logger } from './log/logger';
import { scrubSecrets } from './log/secrets';
import { guardStdout } from './log/stdoutGuard';
import { handshakeLine, hasMagicCookie, negotiateVersion, NOT_A_COMMAND_MESSAGE } from './protocol/handshake';
import { manageLifecycle, type Lifecycle } from './protocol/lifecycle';
import { listen } from './protocol/listen';
import { createPluginServer } from './protocol/pluginServer';

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

  let lifecycle: Lifecycle | undefined;
  const plugin = createPluginServer({ log: logger, onShutdown: () => lifecycle?.stop('Shutdown RPC') });
  const addr = await listen(plugin.server, process.env, logger);
  lifecycle = manageLifecycle(plugin.server, addr, logger, plugin.endStreams);
  writeHandshake(handshakeLine(addr, version.version));
  logger.info('Netdata plugin started', { network: addr.network, address: addr.address, pid: process.pid });
}

main().catch((err: unknown) => {
  logger.error('plugin failed to start', { error: err });
  process.exit(1);
});
