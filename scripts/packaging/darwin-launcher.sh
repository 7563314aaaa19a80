#!/bin/sh
# Starts the Netdata backend on macOS: Node's own signed binary (unmodified, so Apple Silicon runs it) with the bundle.
# exec keeps the PID, so the process Grafana stops is Node itself.
case "$0" in
  */*) dir="${0%/*}" ;;
  *) dir=. ;;
esac
exec "$dir/runtime_darwin_@ARCH@/node_darwin_@ARCH@" "$dir/runtime_darwin_@ARCH@/backend.cjs" "$@"
