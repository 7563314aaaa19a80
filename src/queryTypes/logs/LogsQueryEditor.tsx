import React from 'react';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Combobox, Input, Switch } from '@grafana/ui';

import { useLoader } from '../../components/useLoader';
import { LOGS_QUERY_TYPE } from '../../netdata/queryType';
import type { NetdataQuery } from '../../types';
import type { QueryTypeEditorProps } from '../editorProps';

/** `PRIORITY=3|4, _SYSTEMD_UNIT=nginx.service` ↔ facet selections. */
export function filtersText(filters: Record<string, string[]> | undefined): string {
  return Object.entries(filters ?? {})
    .map(([field, values]) => `${field}=${values.join('|')}`)
    .join(', ');
}

export function parseFiltersText(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      continue;
    }
    const values = part
      .slice(eq + 1)
      .split('|')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (values.length > 0) {
      out[part.slice(0, eq).trim()] = values;
    }
  }
  return out;
}

/** Logs of systemd-journal / windows-events: node, full-text search, facet filters, label fields, rows per request. */
export function LogsQueryEditor({ catalog, query, onChange, onRunQuery }: QueryTypeEditorProps) {
  const nodes = useLoader(() => catalog.nodes({}), 'nodes');
  const functions = useLoader(() => catalog.functions(query.node), `functions/${query.node ?? ''}`);
  const logsFunctions = (functions.value ?? []).filter(
    (f) => f.name === 'systemd-journal' || f.name === 'windows-events'
  );
  const set = (patch: Partial<NetdataQuery>) => onChange({ ...query, ...patch, queryType: LOGS_QUERY_TYPE });
  const update = (patch: Partial<NetdataQuery>) => {
    set(patch);
    onRunQuery();
  };
  return (
    <EditorRows>
      <EditorRow>
        <EditorField label="Node" tooltip="The node whose logs to read (on a Parent: one of its children).">
          <Combobox
            id="netdata-logs-node"
            isClearable
            options={(nodes.value ?? []).map((n) => ({ label: n.hostname, value: n.machineGuid }))}
            value={query.node ?? null}
            onChange={(option) => update({ node: option?.value || undefined })}
            width={30}
          />
        </EditorField>
        <EditorField
          label="Source"
          error={functions.error ? `Could not load the functions: ${functions.error}` : undefined}
          invalid={!!functions.error}
        >
          <Combobox
            id="netdata-logs-function"
            options={(logsFunctions.length > 0 ? logsFunctions.map((f) => f.name) : ['systemd-journal']).map((n) => ({
              label: n,
              value: n,
            }))}
            value={query.function ?? 'systemd-journal'}
            onChange={(option) => update({ function: option.value })}
            width={24}
          />
        </EditorField>
        <EditorField label="Search" tooltip="Full-text search over every field of the entries.">
          <Input
            id="netdata-logs-search"
            value={query.search ?? ''}
            width={30}
            onChange={(e) => set({ search: e.currentTarget.value || undefined })}
            onBlur={onRunQuery}
          />
        </EditorField>
      </EditorRow>
      <EditorRow>
        <EditorField
          label="Filters"
          tooltip="Facet selections: FIELD=value|value, more fields separated by commas (AND)."
        >
          <Input
            id="netdata-logs-filters"
            defaultValue={filtersText(query.filters)}
            placeholder="PRIORITY=3|4, _SYSTEMD_UNIT=nginx.service"
            width={50}
            onBlur={(e) => update({ filters: parseFiltersText(e.currentTarget.value) })}
          />
        </EditorField>
        <EditorField label="Labels" tooltip="Fields shown as labels of each line, separated by commas.">
          <Input
            id="netdata-logs-labels"
            defaultValue={(query.labelFields ?? []).join(', ')}
            placeholder="_SYSTEMD_UNIT, SYSLOG_IDENTIFIER"
            width={40}
            onBlur={(e) =>
              update({
                labelFields: e.currentTarget.value
                  .split(',')
                  .map((f) => f.trim())
                  .filter((f) => f !== ''),
              })
            }
          />
        </EditorField>
        <EditorField
          label="Rows"
          tooltip="Lines per request (1–1000, Netdata's default 200); older lines page backwards."
        >
          <Input
            id="netdata-logs-limit"
            type="number"
            defaultValue={query.limit ?? ''}
            placeholder="200"
            width={10}
            onBlur={(e) => update({ limit: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })}
          />
        </EditorField>
        <EditorField
          label="Volume"
          tooltip="Answer the lines per level over time (Netdata's PRIORITY histogram) instead of the lines, for a time series panel. Explore shows the volume above the lines by itself."
        >
          <Switch
            id="netdata-logs-volume"
            value={query.logsVolume === true}
            onChange={(e) => update({ logsVolume: e.currentTarget.checked || undefined })}
          />
        </EditorField>
      </EditorRow>
    </EditorRows>
  );
}
