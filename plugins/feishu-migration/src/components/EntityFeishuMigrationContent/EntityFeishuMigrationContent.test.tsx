import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';
import { fakeApi, job } from '../testFixtures';
import { EntityFeishuMigrationContent } from './EntityFeishuMigrationContent';

jest.setTimeout(20_000);

const service = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'invoice-service', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-billing', lifecycle: 'production' },
});

describe('EntityFeishuMigrationContent', () => {
  it('explains which annotation to add when the service names no repository', async () => {
    await renderInTestApp(
      <EntityProvider entity={service({})}>
        <EntityFeishuMigrationContent />
      </EntityProvider>,
      { apis: [[feishuMigrationApiRef, fakeApi()]] },
    );
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/github\.com\/project-slug/).length,
    ).toBeGreaterThan(0);
  });

  it("lists the service's migrations and opens the wizard for it", async () => {
    const listMigrations = jest.fn(async () => ({
      items: [job],
      totalItems: 1,
    }));
    await renderInTestApp(
      <EntityProvider
        entity={service({
          'github.com/project-slug': 'quillstack/invoice-service',
        })}
      >
        <EntityFeishuMigrationContent />
      </EntityProvider>,
      {
        apis: [
          [feishuMigrationApiRef, fakeApi({ listMigrations })],
          catalogApiMock({ entities: [] }),
        ],
      },
    );
    expect(await screen.findByText('Billing 团队空间')).toBeInTheDocument();
    expect(listMigrations).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/invoice-service',
      }),
    );
    await userEvent
      .setup({ delay: null })
      .click(screen.getByRole('button', { name: 'Migrate Feishu pages here' }));
    expect(
      await screen.findByLabelText('Feishu wiki space or drive folder'),
    ).toBeInTheDocument();
  });
});
