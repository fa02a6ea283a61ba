import { defineConfig } from '@playwright/test';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
export const SCREENSHOT_DIR = path.join(__dirname, 'e2e-tests', 'screenshots');

/**
 * End-to-end tests in Debian's Chromium against the production build of the app, served by the
 * backend on :7007 with the sandbox beside it. `yarn test:e2e` builds the app first.
 * PORTAL_URL=http://localhost:3000 runs them against an already running `yarn start` instead.
 */
const externalPortal = process.env.PORTAL_URL;
export default defineConfig({
  testDir: 'e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    [
      'html',
      { open: 'never', outputFolder: path.join(repoRoot, 'e2e-test-report') },
    ],
  ],
  outputDir: path.join(repoRoot, 'node_modules', '.cache', 'e2e-test-results'),
  webServer: externalPortal
    ? []
    : [
        {
          command: 'yarn workspace @internal/sandbox start',
          cwd: repoRoot,
          port: 7101,
          reuseExistingServer: !process.env.CI,
          timeout: 60_000,
        },
        {
          command:
            'yarn workspace backend start --config ../../app-config.yaml --config ../../packages/app/e2e-tests/app-config.e2e.yaml',
          cwd: repoRoot,
          url: 'http://localhost:7007/.backstage/health/v1/readiness',
          reuseExistingServer: !process.env.CI,
          timeout: 180_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
      ],
  use: {
    baseURL: externalPortal ?? 'http://localhost:7007',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
