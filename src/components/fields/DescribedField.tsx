import React, { ComponentProps } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { EditorField } from '@grafana/plugin-ui';
import { useStyles2 } from '@grafana/ui';

type Props = ComponentProps<typeof EditorField> & {
  /** Shown under the control (EditorField drops Field's own description). */
  description?: string;
};

/** An EditorField with a short explanation under its control. */
export function DescribedField({ description, children, ...field }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.root}>
      <EditorField {...field}>{children}</EditorField>
      {description && <div className={styles.description}>{description}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'flex', flexDirection: 'column' }),
  description: css({
    marginTop: theme.spacing(0.5),
    maxWidth: '48ch',
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
});
