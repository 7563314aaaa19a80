// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  // d3-color ships .mjs only: transform .mjs as well as .ts/.js.
  transform: { '^.+\\.m?(t|j)sx?$': swc },
  // Unit tests sit beside the code; end-to-end, protocol and browser tests live in tests/.
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}', '<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
