import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
  WikiTreeNode,
} from '@internal/plugin-feishu-migration-common';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';
import { fakeApi, job } from '../testFixtures';
import { MigrationWizard } from './MigrationWizard';

// Material UI renders slowly on the 2-core build machine.
jest.setTimeout(30_000);

const component = (name: string, slug?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    ...(slug ? { annotations: { 'github.com/project-slug': slug } } : {}),
  },
  spec: { type: 'service', owner: 'team-billing', lifecycle: 'production' },
});

const pages: WikiTreeNode[] = [
  {
    nodeToken: 'w1',
    objToken: 'd1',
    objType: 'docx',
    parentNodeToken: '',
    title: 'Runbook',
  },
  {
    nodeToken: 'w2',
    objToken: 'd2',
    objType: 'docx',
    parentNodeToken: 'w1',
    title: 'Alerts',
  },
  {
    nodeToken: 'w3',
    objToken: 's3',
    objType: 'sheet',
    parentNodeToken: '',
    title: 'On-call rota',
  },
];

async function choose(label: string, option: string) {
  const user = userEvent.setup({ delay: null });
  await user.click(screen.getByLabelText(label));
  await user.click(
    await within(screen.getByRole('listbox')).findByText(option),
  );
}

describe('MigrationWizard', () => {
  const user = userEvent.setup({ delay: null });

  it('offers only services with a repository, then walks pages, options and preview to a started migration', async () => {
    const startMigration = jest.fn(async () => job);
    const preview = jest.fn(async () => ({
      title: 'Runbook',
      markdown: '# Runbook',
      previewMarkdown: '# Runbook',
      warnings: [],
      source: [{ depth: 0, kind: 'page', text: 'Runbook' }],
    }));
    const api = fakeApi({
      listSpaces: async () => [{ spaceId: '7001', name: 'Billing' }],
      listFolders: async () => [{ folderToken: 'fld1', name: 'Shared' }],
      listNodes: async () => pages,
      preview,
      startMigration,
    });
    await renderInTestApp(<MigrationWizard />, {
      apis: [
        [feishuMigrationApiRef, api],
        catalogApiMock({
          entities: [
            component('invoice-service', 'quillstack/invoice-service'),
            component('legacy-batch'),
          ],
        }),
      ],
    });

    await user.click(await screen.findByLabelText('Service to migrate into'));
    const services = within(screen.getByRole('listbox'));
    expect(await services.findByText('invoice-service')).toBeInTheDocument();
    expect(services.queryByText('legacy-batch')).not.toBeInTheDocument();
    await user.click(services.getByText('invoice-service'));

    await waitFor(() =>
      expect(
        screen.getByLabelText('Feishu wiki space or drive folder'),
      ).not.toHaveAttribute('aria-disabled'),
    );
    await choose('Feishu wiki space or drive folder', 'Wiki: Billing');

    const tree = await screen.findByRole('tree', { name: 'Wiki pages' });
    await user.click(within(tree).getByLabelText('Runbook'));
    expect(within(tree).getByLabelText('Alerts')).toBeChecked();
    expect(screen.getByText('2 of 3 pages selected')).toBeInTheDocument();
    expect(
      within(tree).getByText('On-call rota (sheet, stays in Feishu)'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByLabelText('Folder in the repository')).toHaveValue(
      'docs',
    );
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(
      await screen.findByLabelText('Source structure'),
    ).toBeInTheDocument();
    expect(preview).toHaveBeenCalledWith({
      entityRef: 'component:default/invoice-service',
      nodeToken: 'w1',
      options: DEFAULT_CONVERSION_OPTIONS,
    });

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(
      screen.getByText(/2 documents will be migrated into/),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start migration' }));
    await waitFor(() =>
      expect(startMigration).toHaveBeenCalledWith({
        entityRef: 'component:default/invoice-service',
        spaceId: '7001',
        nodeTokens: ['w1', 'w2'],
        options: DEFAULT_CONVERSION_OPTIONS,
        target: DEFAULT_TARGET_STRUCTURE,
      }),
    );
    expect(
      await screen.findByText('2 of 2 pages converted', { exact: false }),
    ).toBeInTheDocument();
  });

  it('starts with the service of the page it is on, and migrates a drive folder by its token', async () => {
    const startMigration = jest.fn(async () => job);
    const listFolderFiles = jest.fn(async () => pages.slice(0, 1));
    await renderInTestApp(
      <MigrationWizard entityRef="component:default/invoice-service" />,
      {
        apis: [
          [
            feishuMigrationApiRef,
            fakeApi({
              listFolders: async () => [
                { folderToken: 'fld1', name: 'Shared' },
              ],
              listFolderFiles,
              startMigration,
            }),
          ],
          catalogApiMock({
            entities: [
              component('invoice-service', 'quillstack/invoice-service'),
            ],
          }),
        ],
      },
    );
    await choose('Feishu wiki space or drive folder', 'Drive folder: Shared');
    expect(listFolderFiles).toHaveBeenCalledWith(
      'component:default/invoice-service',
      'fld1',
    );
    await user.click(await screen.findByLabelText('Runbook'));
    for (let i = 0; i < 3; i++) {
      await user.click(screen.getByRole('button', { name: 'Next' }));
    }
    await user.click(screen.getByRole('button', { name: 'Start migration' }));
    await waitFor(() =>
      expect(startMigration).toHaveBeenCalledWith(
        expect.objectContaining({ folderToken: 'fld1', nodeTokens: ['w1'] }),
      ),
    );
  });
});
