// Runs against a real Grafana (`docker compose up --build`, then `npm run e2e`); not part of `npm run test:ci`.
import { test, expect } from '@grafana/plugin-e2e';

test('config editor offers both transports', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await createDataSourceConfigPage({ type: ds.type });
  await expect(page.getByText('Connect to')).toBeVisible();
  await expect(page.getByText('Netdata Cloud')).toBeVisible();
});

test('"Save & test" reaches the provisioned Netdata agent', async ({
  gotoDataSourceConfigPage,
  readProvisionedDataSource,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  const configPage = await gotoDataSourceConfigPage(ds.uid);
  await expect(configPage.saveAndTest()).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: /Netdata/ });
});
