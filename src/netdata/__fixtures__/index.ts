// Test support only: real Netdata 2.9 responses (copied from the shared captures; see netdata-2.9/README.md).
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const DIR = join(__dirname, 'netdata-2.9');

export function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(DIR, name), 'utf8'));
}

/** Hand-written examples of netdata-api.md §8 kept beside the captures (e.g. a claimed Parent, which we did not capture). */
export function loadSpecExample(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, name), 'utf8'));
}

/** Every json2 data response captured, the unknown-context one included. */
export const DATA_FIXTURES: string[] = readdirSync(DIR)
  .filter((f) => /^(v2_data_.*|v3_data.*|err_v2_data_unknown_context)\.json$/.test(f))
  .sort();
