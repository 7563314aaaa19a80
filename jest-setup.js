// Jest setup provided by Grafana scaffolding; it patches browser globals, so only load it under jsdom
// (tests with `@jest-environment node` run servers, sockets and child processes).
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
