import { expect, Page, test } from '@playwright/test';
import path from 'node:path';
import { SCREENSHOT_DIR } from '../playwright.config';

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Picks an option of a catalog entity picker (an MUI autocomplete), which lists entities by title. */
async function pick(page: Page, label: string, text: string) {
  const input = page
    .getByRole('combobox', { name: label })
    .or(page.getByLabel(label))
    .first();
  await input.click();
  await input.fill(text);
  await page.getByRole('option', { name: text, exact: true }).first().click();
}

test('a developer creates a Go service from its golden path and finds it in the catalog with docs and deployments', async ({
  page,
}) => {
  // Unique per run, so that the test also passes against a long-running `yarn start`.
  const name = `quota-service-${Date.now().toString(36)}`;
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('table').first()).toBeVisible();

  await page.goto('/create');
  for (const title of [
    'Java service (Spring Boot)',
    'Go service',
    'React web app (Vite)',
    'React Native app (Expo)',
  ]) {
    await expect(page.getByText(title, { exact: true }).first()).toBeVisible();
  }
  await screenshot(page, '16-create-page');

  await page.goto('/create/templates/default/go-service');

  await page.getByLabel('Name').first().fill('Quota_Service');
  await page
    .getByLabel('Description')
    .first()
    .fill('Tracks how much of their plan each tenant has used.');
  await pick(page, 'Owner', 'Platform');
  await pick(page, 'System', 'Developer platform');
  await page.getByRole('button', { name: 'Review' }).click();
  // The form explains what a valid name is before anything is created.
  await expect(page.locator('#root_name__error')).toHaveText(
    /Use lowercase letters, digits and single dashes/,
  );
  await screenshot(page, '17-create-form-invalid-name');
  await page.getByLabel('Name').first().fill(name);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task page: every step ends, and the log says what was registered.
  await expect(page.getByText('Register in the catalog')).toBeVisible();
  await page
    .getByRole('button', { name: /Show Logs/i })
    .click()
    .catch(() => undefined);
  await expect(
    page
      .getByText(
        `Registered https://github.com/quillstack/${name}/blob/main/catalog-info.yaml`,
      )
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await screenshot(page, '18-create-task-log');
  await page
    .getByRole('button', { name: 'Open in the catalog' })
    .or(page.getByRole('link', { name: 'Open in the catalog' }))
    .first()
    .click();

  // The catalog processes the new location within seconds; until then the page says it is not found.
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('link', { name: 'TechDocs', exact: true }),
    ).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name }).first()).toBeVisible();

  const deployments = page.getByRole('table', {
    name: 'Deployments per environment',
  });
  for (const environment of ['development', 'staging', 'production']) {
    await expect(
      deployments.getByRole('link', { name: new RegExp(`^${environment}`) }),
    ).toBeVisible();
  }
  await expect(deployments.getByText('OutOfSync')).toBeVisible();
  await deployments.scrollIntoViewIfNeeded();
  await screenshot(page, '19-new-service-deployments');

  await page.getByRole('link', { name: 'TechDocs', exact: true }).click();
  await expect(
    page.getByText('Argo CD deploys the Helm chart').first(),
  ).toBeVisible({ timeout: 90_000 });
  await screenshot(page, '20-new-service-docs');
});
