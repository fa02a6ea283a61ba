import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityWorkflow } from '@internal/plugin-n8n-common';
import { N8nApi, n8nApiRef } from '../../api/N8nClient';
import { fieldsError, run } from '../testFixtures';
import { EntityWorkflowsCard } from './EntityWorkflowsCard';

const invoiceService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'invoice-service',
    namespace: 'default',
    annotations: {
      'n8n/workflows': 'invoice-overdue-reminder,invoice-dispute-escalation',
    },
  },
  spec: { type: 'service', owner: 'team-billing', lifecycle: 'production' },
};

const workflows = (): EntityWorkflow[] => [
  {
    name: 'invoice-overdue-reminder',
    id: 'w1',
    active: true,
    runnable: true,
    lastRuns: [
      run({
        kind: 'entity-workflow',
        workflow: 'invoice-overdue-reminder',
        status: 'failed',
        requestedBy: 'user:default/erik-larsen',
      }),
    ],
  },
  {
    name: 'invoice-dispute-escalation',
    runnable: false,
    reason:
      'n8n does not tag invoice-dispute-escalation with invoice-service, so it may not run for it',
    lastRuns: [],
  },
];

function renderCard(api: Partial<N8nApi>) {
  return renderInTestApp(
    <EntityProvider entity={invoiceService}>
      <EntityWorkflowsCard />
    </EntityProvider>,
    {
      apis: [
        [n8nApiRef, { listEntityWorkflows: async () => workflows(), ...api }],
      ],
    },
  );
}

describe('EntityWorkflowsCard', () => {
  it('lists the workflows with their last run, and runs one that may run', async () => {
    const started: string[] = [];
    await renderCard({
      startEntityWorkflow: async (_ref, workflow) => {
        started.push(workflow);
        return run({ workflow });
      },
    });
    const reminder = await screen.findByRole('listitem', {
      name: 'invoice-overdue-reminder',
    });
    expect(
      within(reminder).getByLabelText('status failed'),
    ).toBeInTheDocument();
    expect(reminder).toHaveTextContent('by user:default/erik-larsen');
    const escalation = screen.getByRole('listitem', {
      name: 'invoice-dispute-escalation',
    });
    expect(escalation).toHaveTextContent('n8n does not tag');
    expect(
      within(escalation).getByRole('button', { name: 'Run' }),
    ).toBeDisabled();
    await userEvent.click(
      within(reminder).getByRole('button', { name: 'Run' }),
    );
    expect(started).toEqual(['invoice-overdue-reminder']);
  });

  it('says why a run was refused', async () => {
    await renderCard({
      startEntityWorkflow: async () => {
        throw fieldsError(
          'You may not run workflows for component:default/invoice-service: only the owners of this entity may do this',
          {},
        );
      },
    });
    const reminder = await screen.findByRole('listitem', {
      name: 'invoice-overdue-reminder',
    });
    await userEvent.click(
      within(reminder).getByRole('button', { name: 'Run' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'only the owners of this entity may do this',
    );
  });
});
