import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, QueryEditorHelpProps } from '@grafana/data';
import { Button, Stack, Text, useStyles2 } from '@grafana/ui';

import { testIds } from '../testIds';
import type { NetdataQuery } from '../types';
import { QUERY_EXAMPLES } from './examples';

/**
 * The query help (Explore's "?" and the panel editor's help): worked examples of every query type. Clicking one
 * replaces the query with it, keeping the query's refId, space and room.
 */
export function QueryEditorHelp({ query, onClickExample }: QueryEditorHelpProps<NetdataQuery>) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.root}>
      <Text element="h3">Netdata query examples</Text>
      <Text color="secondary">
        Metrics draw time series; correlations rank what changed; alerts and nodes are tables. Ad hoc filters of a
        dashboard narrow every metrics query (labels with =; node, instance and dimension with = or !=).
      </Text>
      <div className={styles.grid}>
        {QUERY_EXAMPLES.map((example) => (
          <div key={example.name} className={styles.card}>
            <Stack direction="column" gap={0.5}>
              <Text weight="medium">{example.title}</Text>
              <Text variant="bodySmall" color="secondary">
                {example.explanation}
              </Text>
              <code className={styles.code}>{JSON.stringify(example.query)}</code>
              <div>
                <Button
                  size="sm"
                  variant="secondary"
                  data-testid={testIds.queryHelpExample(example.name)}
                  onClick={() =>
                    onClickExample({
                      refId: query?.refId ?? 'A',
                      ...(query?.spaceId ? { spaceId: query.spaceId } : {}),
                      ...(query?.roomId ? { roomId: query.roomId } : {}),
                      ...structuredCopy(example.query),
                    } as NetdataQuery)
                  }
                >
                  Use this query
                </Button>
              </div>
            </Stack>
          </div>
        ))}
      </div>
    </div>
  );
}

function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))', gap: theme.spacing(1) }),
  card: css({
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  code: css({ fontSize: theme.typography.bodySmall.fontSize, wordBreak: 'break-all' }),
});
