import { expect, Page, test } from '@playwright/test';
import path from 'node:path';
import { SCREENSHOT_DIR } from '../playwright.config';

// Viewport-sized: a full-page capture resizes the viewport, which makes the TechDocs reader re-render.
async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

test('a guest signs in, finds a service, sees its dependency graph and reads its TechDocs', async ({
  page,
}) => {
  await page.goto('/');
  await screenshot(page, '01-sign-in');
  await page.getByRole('button', { name: 'Enter' }).click();

  const catalogTable = page.getByRole('table');
  await expect(
    catalogTable.getByRole('link', { name: 'invoice-service', exact: true }),
  ).toBeVisible();
  for (const name of [
    'payment-gateway',
    'ledger-service',
    'customer-web',
    'quillstack-mobile',
  ]) {
    await expect(
      catalogTable.getByRole('link', { name, exact: true }),
    ).toBeVisible();
  }
  await screenshot(page, '02-catalog');

  await catalogTable
    .getByRole('link', { name: 'invoice-service', exact: true })
    .click();
  await expect(
    page.getByRole('heading', { name: 'invoice-service' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Billing' }).first(),
  ).toBeVisible();

  // The relations card of catalog-graph draws the dependency graph as SVG nodes.
  const graph = page
    .locator('svg')
    .filter({ has: page.locator('text', { hasText: 'invoices-db' }) });
  await expect(graph.first()).toBeVisible();
  await expect(
    graph.first().locator('text', { hasText: 'tax-calculator' }).first(),
  ).toBeVisible();
  await graph.first().scrollIntoViewIfNeeded();
  await screenshot(page, '03-entity-overview-with-graph');

  await page.getByRole('link', { name: 'TechDocs', exact: true }).click();
  // TechDocs builds the site with mkdocs on first view, then renders it in a shadow root. When an
  // older build was already published, it shows that one and offers a refresh once the rebuild is done.
  const docsText = page.getByText('Invoice numbers are gap-free');
  const refresh = page.getByRole('button', { name: 'Refresh' });
  await expect(docsText.or(refresh).first()).toBeVisible({ timeout: 90_000 });
  await page.waitForLoadState('networkidle');
  if (await refresh.isVisible()) {
    await refresh.click();
  }
  await expect(docsText).toBeVisible({ timeout: 90_000 });
  await expect(
    page.getByRole('heading', { name: 'Invoice states' }),
  ).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await screenshot(page, '04-techdocs');
});

test('the guest of the development default sees its role and the approvals inbox', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('link', { name: 'Access & approvals' }).click();
  await page.getByRole('tab', { name: 'My access', exact: true }).click();
  // security.users makes the development guest an admin.
  await expect(page.getByTestId('my-role')).toHaveText('admin');
  await expect(page.getByText('Read the audit trail')).toBeVisible();
  await screenshot(page, '05-my-access');

  await page.getByRole('tab', { name: 'Approvals', exact: true }).click();
  await expect(page.getByRole('tab', { name: 'Waiting for me' })).toBeVisible();
  await screenshot(page, '06-approvals');
});
