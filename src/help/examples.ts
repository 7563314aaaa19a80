import type { NetdataQuery } from '../types';

/** A worked example of the query help: what it answers, and the query that answers it. */
export interface QueryExample {
  name: string;
  title: string;
  explanation: string;
  query: Omit<NetdataQuery, 'refId'>;
}

/** One or more examples per query type (alert transitions are annotation queries, explained with annotations). */
export const QUERY_EXAMPLES: readonly QueryExample[] = [
  {
    name: 'cpu-by-dimension',
    title: 'CPU utilisation by state',
    explanation: 'Metrics of system.cpu, one series per dimension (user, system, …), averaged over the nodes.',
    query: {
      queryType: 'metrics',
      context: 'system.cpu',
      groupBy: ['dimension'],
      aggregation: 'avg',
      timeGroup: 'average',
    },
  },
  {
    name: 'disk-io-by-node',
    title: 'Disk reads per node, physical disks only',
    explanation:
      'Sum of the reads dimension of disk.io per node, keeping instances labelled device_type=physical, named by a legend template.',
    query: {
      queryType: 'metrics',
      context: 'disk.io',
      dimensions: ['reads'],
      labels: [{ key: 'device_type', value: 'physical' }],
      groupBy: ['node'],
      aggregation: 'sum',
      timeGroup: 'average',
      legendFormat: '{{node}} reads',
    },
  },
  {
    name: 'correlations',
    title: 'What changed in this time range?',
    explanation:
      'Correlations (ks2) over every context: the 20 series whose behaviour in the time range differs most from the 4× longer window before it. Zoom the time range onto a spike first.',
    query: { queryType: 'correlations', contexts: '*', method: 'ks2', baseline: 4, limit: 20 },
  },
  {
    name: 'anomalies',
    title: 'Most anomalous system metrics',
    explanation: "Correlations by anomaly rate (Netdata's ML) over the system.* contexts; no baseline needed.",
    query: { queryType: 'correlations', contexts: 'system.*', method: 'anomaly-rate', limit: 20 },
  },
  {
    name: 'alerts',
    title: 'Raised alerts',
    explanation: 'Current alerts in CRITICAL or WARNING on every node, as a table coloured by status.',
    query: { queryType: 'alerts', contexts: '*', statuses: ['CRITICAL', 'WARNING'] },
  },
  {
    name: 'disk-alerts',
    title: 'Disk space alerts, whatever their status',
    explanation: 'Current alerts whose name matches disk_space_*, including the cleared ones.',
    query: { queryType: 'alerts', contexts: '*', alert: 'disk_space_*', statuses: ['CRITICAL', 'WARNING', 'CLEAR'] },
  },
  {
    name: 'nodes',
    title: 'Node inventory',
    explanation: 'Every node with its version, OS, reachability, alert counts and host labels.',
    query: { queryType: 'nodes' },
  },
];
