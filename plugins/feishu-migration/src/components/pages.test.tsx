import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  MigrationJob,
  MigrationJobDetails,
} from '@internal/plugin-feishu-migration-common';
import {
  FeishuMigrationApi,
  feishuMigrationApiRef,
} from '../api/FeishuMigrationClient';
import { MigrationDetails } from './MigrationDetails';
import { HistoryPage } from './HistoryPage';

// Material UI tables render slowly on the 2-core build machine.
jest.setTimeout(20_000);

const job: MigrationJob = {
  id: 'job-1',
  entityRef: 'component:default/invoice-service',
  createdBy: 'user:default/erik-larsen',
  status: 'completed',
  spaceId: '7001',
  spaceName: 'Billing 团队空间',
  options: {
    preserveFormatting: true,
    handleImages: 'download',
    convertTables: true,
    commentHandling: 'preserve',
  },
  target: { docsPath: 'docs', preserveHierarchy: true },
  delivery: 'pull-request',
  destination: 'quillstack/invoice-service',
  branch: 'feishu-migration/job-1',
  pullRequestUrl: 'https://github.com/quillstack/invoice-service/pull/101',
  mkdocsBuild: { status: 'passed', messages: [], durationMs: 1200 },
  permissionReport: [
    {
      memberType: 'openchat',
      memberId: 'oc_1',
      perm: 'edit',
      documents: 2,
      backstageRole: 'group:default/team-billing',
    },
    {
      memberType: 'user',
      memberId: 'ou_9',
      perm: 'full_access',
      documents: 1,
      backstageRole: null,
    },
  ],
  skipped: [
    {
      nodeToken: 'w3',
      title: 'On-call rota',
      reason: 'only docx documents are migrated',
    },
  ],
  documentsTotal: 2,
  documentsConverted: 2,
  documentsFailed: 0,
  createdAt: '2026-11-23T10:00:00Z',
  updatedAt: '2026-11-23T10:01:00Z',
};

const details: MigrationJobDetails = {
  ...job,
  documents: [
    {
      nodeToken: 'w1',
      title: 'invoice-service 运维手册 Runbook',
      path: 'docs/billing/invoice-service-runbook.md',
      parentNodeToken: '',
      status: 'converted',
      attempts: 1,
      warnings: [],
      validation: {
        ok: true,
        headings: { source: 5, kept: 5 },
        textShare: 1,
        images: { source: 1, resolved: 1 },
        links: { relative: 1, unresolved: [], notRewritten: [] },
        tables: { source: 2, output: 2 },
        problems: [],
      },
    },
    {
      nodeToken: 'w2',
      title: 'ADR-001',
      path: 'docs/billing/adr-001.md',
      parentNodeToken: '',
      status: 'converted',
      attempts: 2,
      warnings: [],
      validation: {
        ok: false,
        headings: { source: 3, kept: 2 },
        textShare: 0.9,
        images: { source: 0, resolved: 0 },
        links: { relative: 0, unresolved: [], notRewritten: [] },
        tables: { source: 0, output: 0 },
        problems: ['1 of 3 headings are missing'],
      },
    },
  ],
};

function fakeApi(
  overrides: Partial<FeishuMigrationApi> = {},
): FeishuMigrationApi {
  return {
    listSpaces: async () => [],
    listNodes: async () => [],
    listFolders: async () => [],
    listFolderFiles: async () => [],
    preview: async () => {
      throw new Error('not used');
    },
    startMigration: async () => job,
    listMigrations: async () => ({ items: [job], totalItems: 1 }),
    getMigration: async () => details,
    rollback: async () => ({ ...job, status: 'rolling_back' }),
    retry: async () => job,
    ...overrides,
  };
}

describe('Feishu migration pages', () => {
  const user = userEvent.setup({ delay: null });

  it('shows the pull request, the MkDocs build, the validation report and the permission mapping', async () => {
    await renderInTestApp(<MigrationDetails id="job-1" />, {
      apis: [[feishuMigrationApiRef, fakeApi()]],
    });
    expect(
      await screen.findByText('2 of 2 pages converted', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText(job.pullRequestUrl!).closest('a')).toHaveAttribute(
      'href',
      job.pullRequestUrl,
    );
    expect(
      screen.getByText('mkdocs build: passed in 1.2 s'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Migration progress' }),
    ).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByText('1 of 3 headings are missing')).toBeInTheDocument();
    expect(screen.getByText('90.0%')).toBeInTheDocument();
    expect(screen.getByText('group:default/team-billing')).toBeInTheDocument();
    expect(
      screen.getByText('not mapped: check who should read these pages'),
    ).toBeInTheDocument();
    expect(screen.getByText(/On-call rota \(only docx/)).toBeInTheDocument();
  });

  it('rolls back, and explains a refusal', async () => {
    const rollback = jest.fn(async (): Promise<MigrationJob> => {
      throw new Error('Migration job-1 is already rolled back');
    });
    await renderInTestApp(<MigrationDetails id="job-1" />, {
      apis: [[feishuMigrationApiRef, fakeApi({ rollback })]],
    });
    await user.click(await screen.findByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(rollback).toHaveBeenCalledWith('job-1'));
    expect(
      await screen.findByText(/Migration job-1 is already rolled back/),
    ).toHaveAttribute('role', 'alert');
  });

  it('history lists migrations and opens one', async () => {
    await renderInTestApp(<HistoryPage />, {
      apis: [[feishuMigrationApiRef, fakeApi()]],
    });
    const row = await screen.findByText('Billing 团队空间');
    await user.click(row);
    expect(await screen.findByText('Validation report')).toBeInTheDocument();
  });
});
