import {
  MigrationJob,
  MigrationJobDetails,
} from '@internal/plugin-feishu-migration-common';
import { FeishuMigrationApi } from '../api/FeishuMigrationClient';

/** A completed pull-request migration of invoice-service, as the API returns it. */
export const job: MigrationJob = {
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

export const details: MigrationJobDetails = {
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

/** The API answering with the fixtures above, unless overridden. */
export function fakeApi(
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
