// Runs against a real Grafana (`docker compose up --build`, then `npm run e2e`); not part of `npm run test:ci`.
import { test, expect } from '@grafana/plugin-e2e';

test('a system.cpu query returns one series per CPU dimension', async ({
  panelEditPage,
  readProvisionedDataSource,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await panelEditPage.datasource.set(ds.name);
  await panelEditPage.setVisualization('Table');
  await expect(panelEditPage.getQueryEditorRow('A').getByText('Context')).toBeVisible();
  await expect(panelEditPage.refreshPanel()).toBeOK();
  await expect(panelEditPage.panel.fieldNames).toContainText(['time']);
});
