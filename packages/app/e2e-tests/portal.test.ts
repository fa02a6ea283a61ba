import { expect, Locator, Page, test } from '@playwright/test';
import path from 'node:path';
import { SCREENSHOT_DIR } from '../playwright.config';

// Viewport-sized: a full-page capture resizes the viewport, which makes the TechDocs reader re-render.
async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Reloads until `target` shows: what the backend's scheduled syncs bring appears only after they run. */
async function reloadUntilVisible(
  page: Page,
  target: Locator,
  timeout: number,
) {
  await expect(async () => {
    await page.reload();
    // A reload can land on the sign-in page when the guest session is not restored in time.
    const enter = page.getByRole('button', { name: 'Enter' });
    await expect(target.or(enter).first()).toBeVisible({ timeout: 5_000 });
    if (await enter.isVisible()) await enter.click();
    await expect(target).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout });
}

test('on a fresh start, before anyone opened any docs, a new user finds a runbook by a phrase in it, narrows by facet, takes a suggestion and opens the hit', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: 'Quillstack Catalog' }),
  ).toBeVisible();

  // The portal builds and indexes every service's docs on its own within its first minute.
  await page.goto('/search?query=finalisation%20error%20rate');
  const hit = page.getByRole('link', {
    name: /Alert: invoice finalisation error rate/,
  });
  await reloadUntilVisible(page, hit.first(), 120_000);
  const facets = page.getByLabel('Narrow the results');
  await expect(facets.getByLabel(/^Documentation \(\d+\)$/)).toBeVisible();
  await screenshot(page, '21-search-doc-phrase');

  await page.goto('/search?query=invoce%20service');
  const suggestions = page.getByRole('navigation', { name: 'Did you mean' });
  await expect(suggestions.getByText('invoice-service')).toBeVisible();
  await screenshot(page, '22-search-did-you-mean');
  await suggestions.getByText('invoice-service').click();
  await expect(
    page.getByRole('link', { name: 'invoice-service' }).first(),
  ).toBeVisible();

  await page.goto('/search?query=finalisation%20error%20rate');
  await hit.first().click();
  await expect(page).toHaveURL(
    /\/docs\/default\/component\/invoice-service\/runbook/,
  );
  await expect(
    page.getByRole('heading', {
      name: /Alert: invoice finalisation error rate/,
    }),
  ).toBeVisible({ timeout: 60_000 });
});

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

test('a developer migrates a Feishu wiki space into a service, reads the validation report and rolls it back', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('link', { name: 'Feishu migration' }).click();
  await page.getByRole('tab', { name: 'New migration' }).click();

  await page.getByLabel('Service to migrate into').click();
  await page.getByRole('option', { name: 'invoice-service' }).click();
  await page.getByLabel('Feishu wiki space or drive folder').click();
  await page.getByRole('option', { name: /^Wiki: Billing/ }).click();
  const tree = page.getByRole('tree', { name: 'Wiki pages' });
  await expect(
    tree.getByText('invoice-service 运维手册 Runbook'),
  ).toBeVisible();
  await page.getByLabel('Search pages').fill('ADR');
  await expect(tree.getByText('invoice-service 运维手册 Runbook')).toHaveCount(
    0,
  );
  await page.getByLabel('Search pages').fill('');
  await page.getByRole('button', { name: 'Select all' }).click();
  await expect(page.getByText(/^(\d+) of \1 pages selected$/)).toBeVisible();
  await screenshot(page, '06-feishu-pick-pages');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByLabel('Images')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();

  // Dry run: the first page's source structure beside the rendered Markdown.
  await expect(page.getByLabel('Source structure')).toBeVisible({
    timeout: 30_000,
  });
  await page.getByLabel(/^Page to preview/).click();
  await page
    .getByRole('option', { name: 'invoice-service 运维手册 Runbook' })
    .click();
  await expect(
    page.getByRole('heading', { name: 'invoice-service 运维手册 Runbook' }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('table').first()).toBeVisible();
  await screenshot(page, '07-feishu-preview');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('button', { name: 'Start migration' }).click();
  await expect(page.getByText('completed', { exact: true })).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByText(/mkdocs build: passed/)).toBeVisible();
  const report = page
    .getByRole('table')
    .filter({ has: page.getByText('invoice-service 运维手册 Runbook') });
  await expect(report.getByText('OK').first()).toBeVisible();
  await screenshot(page, '08-feishu-report');

  await page.getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByText('rolled back', { exact: true })).toBeVisible({
    timeout: 60_000,
  });

  await page.getByRole('tab', { name: 'History' }).click();
  await expect(
    page
      .getByRole('cell', { name: 'component:default/invoice-service' })
      .first(),
  ).toBeVisible();
});

test("the Kubernetes tab shows a service's pods from the sandbox cluster, one crash-looping", async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('table')
    .getByRole('link', { name: 'invoice-service', exact: true })
    .click();
  await page.getByRole('link', { name: 'Kubernetes', exact: true }).click();
  await expect(page.getByText('sandbox-eks').first()).toBeVisible();
  // The tab lists the crash-looping pod's back-off and its restarts among the cluster's errors.
  await expect(
    page
      .getByText(/back-off 5m0s restarting failed container=invoice-service/)
      .first(),
  ).toBeVisible();
  await expect(
    page.getByText('container=invoice-service restarted 37 times'),
  ).toBeVisible();
  await screenshot(page, '10-kubernetes-invoice-service');
});

test('an engineer on call opens invoice-service and sees its deployments, monitors, errors, pull requests and builds', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('table')
    .getByRole('link', { name: 'invoice-service', exact: true })
    .click();

  const deployments = page.getByRole('table', {
    name: 'Deployments per environment',
  });
  for (const environment of ['development', 'staging', 'production']) {
    await expect(
      deployments.getByRole('link', { name: new RegExp(`^${environment}`) }),
    ).toBeVisible();
  }
  await expect(deployments.getByText('Degraded')).toBeVisible();
  await deployments.scrollIntoViewIfNeeded();
  await screenshot(page, '11-deployments');

  // The development guest is an admin: the sync starts and the row follows it until Argo CD is done.
  const sync = deployments.getByRole('button', { name: 'Sync development' });
  await sync.click();
  await expect(sync).toHaveText('Syncing…');
  await expect(deployments.getByText('syncing', { exact: true })).toBeVisible();
  await screenshot(page, '11b-deployment-syncing');
  await expect(sync).toHaveText('Sync', { timeout: 20_000 });

  const history = page.getByRole('table', { name: 'Deployment history' });
  await expect(history.getByRole('row').nth(3)).toBeVisible();
  await history.scrollIntoViewIfNeeded();
  await screenshot(page, '11c-deployment-history');

  const monitors = page.getByRole('list', { name: 'Datadog monitors' });
  await expect(monitors.getByText('Alert')).toBeVisible();
  await monitors.scrollIntoViewIfNeeded();
  await screenshot(page, '12-monitors');

  const errors = page.getByRole('table', { name: 'Unresolved Sentry issues' });
  await expect(
    errors.getByText(/OutOfMemoryError: Java heap space/),
  ).toBeVisible();
  await errors.scrollIntoViewIfNeeded();
  await screenshot(page, '13-errors');

  await expect(
    page
      .getByRole('list', { name: 'Open pull requests' })
      .getByRole('link')
      .first(),
  ).toBeVisible();
  const builds = page.getByRole('list', { name: 'Latest builds' });
  await expect(builds.getByText('success').first()).toBeVisible();
  await builds.scrollIntoViewIfNeeded();
  await screenshot(page, '14-pull-requests-and-builds');

  // Roadie's Argo CD page, reading through service-health's read-only, filtered route.
  await page.getByRole('link', { name: 'ArgoCD', exact: true }).click();
  await expect(page.getByText('invoice-service-staging').first()).toBeVisible();
  await expect(
    page.getByText(/Release [0-9a-f]{7} of invoice-service/).first(),
  ).toBeVisible();
  await screenshot(page, '15-roadie-argocd');
});

test('an engineer sees what invoice-service costs beside who owns it', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('table')
    .getByRole('link', { name: 'invoice-service', exact: true })
    .click();
  // The backend syncs OpenCost 10 s after it starts; until then the card says it has not synced yet.
  await reloadUntilVisible(
    page,
    page.getByText(/^OpenCost data as of/),
    60_000,
  );
  const card = page.getByRole('region', { name: 'Cost of the last 30 days' });
  await expect(card.getByText(/^\$\d[\d,]*(\.\d\d)?$/).first()).toBeVisible();
  await expect(card.getByText('CPU')).toBeVisible();
  await expect(card.getByText(/week over week/)).toBeVisible();
  await expect(card.getByRole('img', { name: 'Daily cost' })).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, '14-cost-card');
});

test("an engineer opens a service's Cost tab: each day by part, what to save, where it stands, the AWS bill", async ({
  page,
}) => {
  await page.goto('/catalog/default/component/invoice-service/cost');
  await page.getByRole('button', { name: 'Enter' }).click();
  const daily = page.getByRole('region', { name: 'Cost of the last 30 days' });
  await reloadUntilVisible(
    page,
    daily.getByText(/^OpenCost data as of/),
    60_000,
  );
  await expect(
    daily.getByRole('img', { name: 'Daily cost by part' }),
  ).toBeVisible();
  // Stacked bars: one rectangle per part per day.
  await expect(daily.locator('.recharts-bar-rectangle').first()).toBeVisible();
  const sizing = page.getByRole('region', {
    name: 'Right-sizing recommendations',
  });
  await expect(
    sizing.getByText(/^Save about \$[\d,.]+ a month$|^Requests fit the usage/),
  ).toBeVisible();
  await expect(
    page
      .getByRole('region', { name: 'Cost benchmark' })
      .getByText(/services of type service$/),
  ).toBeVisible();
  await page.getByRole('button', { name: '90 days' }).click();
  await expect(
    page.getByRole('region', { name: 'Cost of the last 90 days' }),
  ).toBeVisible();
  await screenshot(page, '16-cost-tab');

  // reporting-service requests far more than it uses; pdf-renderer's AWS bill is 14 % above OpenCost's
  // allocation (the daily AWS sync runs 30 s after the backend starts).
  await page.goto('/catalog/default/component/reporting-service/cost');
  await expect(
    page
      .getByRole('region', { name: 'Right-sizing recommendations' })
      .getByText(/^Save about \$[\d,.]+ a month$/),
  ).toBeVisible();
  await page.goto('/catalog/default/component/pdf-renderer/cost');
  await reloadUntilVisible(
    page,
    page.getByText(
      'Warning: OpenCost and the AWS bill differ by more than 5 %',
    ),
    90_000,
  );
  await screenshot(page, '17-cost-tab-aws-variance');
});

test('the platform team sees what every team and service costs and what moved most', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('link', { name: 'Costs', exact: true }).click();
  await reloadUntilVisible(
    page,
    page.getByText(/^OpenCost data as of/),
    60_000,
  );
  const movers = page.getByRole('list', { name: 'Top movers' });
  // usage-metering's cost more than doubled in the last three days.
  await expect(
    movers.getByRole('link', { name: 'usage-metering' }),
  ).toBeVisible();
  await expect(page.getByText(/^By service \(\d+\)$/)).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'team-billing', exact: true }),
  ).toBeVisible();
  await screenshot(page, '18-costs-page');
  await movers.getByRole('link', { name: 'usage-metering' }).click();
  await expect(page).toHaveURL(/component\/usage-metering\/cost$/);
  await expect(
    page.getByRole('region', { name: 'Cost of the last 30 days' }),
  ).toBeVisible();
});

test('a person requests temporary access, watches the workflow run live, and sees the grant in My access', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('link', { name: 'Workflows' }).click();
  const card = page.getByRole('region', { name: 'Request temporary access' });
  await card.getByRole('button', { name: 'Start' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Service').fill('component:default/usage-metering');
  await dialog.getByRole('button', { name: /Access/ }).click();
  await page.getByRole('option', { name: 'Read cost data' }).click();
  await dialog.getByLabel('For how many hours').fill('4');
  await dialog
    .getByLabel('Why you need it')
    .fill('Budget review with finance on Friday');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByText(/Started access-request/)).toBeVisible();
  const runs = page.getByRole('table').filter({ hasText: 'request-access' });
  // Live: the status moves on without a reload (signals), and the result arrives from n8n's callback.
  await expect(
    runs.getByLabel(/status (pending|running|success)/).first(),
  ).toBeVisible();
  await screenshot(page, '23-workflow-running');
  await expect(runs.getByLabel('status success').first()).toBeVisible();
  await expect(
    runs.getByText(/Approved by group:default\/team-platform/).first(),
  ).toBeVisible();
  await screenshot(page, '24-workflow-succeeded');

  await runs
    .getByRole('link', { name: 'Access granted: see My access' })
    .first()
    .click();
  await expect(page.getByTestId('my-role')).toBeVisible();
  const costRow = page.getByRole('row').filter({ hasText: 'Read cost data' });
  await expect(costRow).toContainText(
    'granted on component:default/usage-metering until',
  );
  await expect(page.getByText('Temporary access (everyone)')).toBeVisible();
  // The grant itself, in the grants table (the role table says "Read cost data", not the key).
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: 'cost.read' })
      .filter({ hasText: 'component:default/usage-metering' })
      .first(),
  ).toContainText('Request temporary access: Budget review');
  await screenshot(page, '25-my-access-grant');
});

test('a developer asks about invoice-service from its page, watches the answer stream in with sources, and opens one', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.goto('/catalog/default/component/invoice-service');
  const card = page.getByRole('form', { name: 'Ask about invoice-service' });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await card
    .getByLabel(/why is invoice-service failing/)
    .fill('Why are invoices failing to finalise, and what do I check first?');
  await screenshot(page, '26-ask-about-this-service');
  await card.getByRole('button', { name: 'Ask' }).click();
  await expect(page).toHaveURL(
    /\/assistant\?entity=component%3Adefault%2Finvoice-service/,
  );

  const answer = page.getByRole('article', {
    name: 'Answer to: Why are invoices failing to finalise, and what do I check first?',
  });
  // The answer streams in word by word (the sandbox model writes a token every 15 ms).
  await expect(
    answer.getByText('Thinking…').or(answer.getByText(/Here is what/)),
  ).toBeVisible();
  await expect(answer.getByText('AI-generated')).toBeVisible();
  const sources = answer.getByRole('list', { name: 'Sources' });
  await expect(
    sources.getByRole('link', { name: 'invoice-service (Component)' }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(answer.getByRole('button', { name: 'Helpful' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    answer.getByRole('link', { name: /^\[\d+\]$/ }).first(),
  ).toBeVisible();
  await screenshot(page, '27-assistant-answer-with-sources');

  await sources
    .getByRole('link', { name: 'invoice-service (Component)' })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/invoice-service/,
  );
  await expect(
    page.getByRole('form', { name: 'Ask about invoice-service' }),
  ).toBeVisible();
});
