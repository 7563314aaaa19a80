// Series names from a query's `legendFormat`, rendered where the frames are made, so that panels, alert
// notifications, public dashboards, recorded queries and any client of /api/ds/query see the same names.

const PLACEHOLDER = /\{\{\s*(.+?)\s*\}\}/g;

/**
 * Renders `{{label}}` placeholders over a series' labels, as Grafana renders Prometheus and Loki legends: a label
 * the series lacks (or an empty one) renders as its own key. `{{name}}` is the automatic name unless the series has
 * a label `name` (legends saved by Netdata's own plugin use it). A template that renders to blank gives `undefined`:
 * the caller keeps the automatic name, so a series never goes nameless.
 */
export function renderLegend(
  template: string,
  labels: Readonly<Record<string, string>>,
  automaticName: string
): string | undefined {
  const rendered = template.replace(PLACEHOLDER, (_, key: string) => {
    const value = labels[key] || (key === 'name' ? automaticName : undefined);
    return value ? value : key;
  });
  return rendered.trim() === '' ? undefined : rendered;
}

/** Whether a template names a label itself (an anomaly-rate series must then not get a suffix of its own). */
export function legendNames(template: string, key: string): boolean {
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m[1] === key) {
      return true;
    }
  }
  return false;
}
