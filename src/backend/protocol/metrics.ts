// pluginv2.Diagnostics/CollectMetrics: a few process metrics in Prometheus text format
// (served by Grafana at /metrics/plugins/<id>).
export function processMetrics(startedAtMs: number): string {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const lines = [
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${mem.rss}`,
    '# HELP nodejs_heap_used_bytes V8 heap used in bytes.',
    '# TYPE nodejs_heap_used_bytes gauge',
    `nodejs_heap_used_bytes ${mem.heapUsed}`,
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    '# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.',
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds ${Math.floor(startedAtMs / 1000)}`,
  ];
  return lines.join('\n') + '\n';
}
