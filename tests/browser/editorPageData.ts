// What the query editor's test page answers (window.__NETDATA_CANNED__): the catalog of a real Netdata 2.9 agent
// from the fixtures plus 10 000 generated contexts, as a Parent with many children collects. Shared by the browser
// test and the editor row of `npm run bench`.
import { loadFixture } from '../fixtures';
import { parseContexts, parseNodes } from '../../src/netdata/catalog';
import { parseContextDetails } from '../../src/netdata/contextDetails';
import type { NetdataQuery } from '../../src/types';
import type { Canned } from './page/main';

export const GENERATED_CONTEXTS = 10_000;

export function editorPageData(query: NetdataQuery): Canned {
  const catalog = loadFixture('v3_contexts_system_cpu_options.json') as { contexts: Record<string, unknown> };
  const agentNodes = parseNodes(loadFixture('v2_nodes.json'));
  // A Parent knows its children too.
  const nodes = [...agentNodes, { id: 'child-mg-1', machineGuid: 'child-mg-1', hostname: 'child1' }];
  const generated = Array.from({ length: GENERATED_CONTEXTS }, (_, i) => ({
    id: `app${String(i).padStart(5, '0')}.requests`,
    title: `Application ${i} requests`,
    units: 'requests/s',
    family: `app ${i % 100}`,
  }));
  const contexts = [...parseContexts(catalog), ...generated].sort((a, b) => a.id.localeCompare(b.id));
  const details = Object.fromEntries(Object.keys(catalog.contexts).map((id) => [id, parseContextDetails(catalog, id)]));
  return { nodes, contexts, details, latencyMs: 50, query, jsonData: {} };
}
