import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { N8nApi, n8nApiRef } from '../../api/N8nClient';
import {
  fieldsError,
  requestAccess,
  rotateCredentials,
  run,
} from '../testFixtures';
import { WorkflowsPage } from './WorkflowsPage';

function renderPage(api: Partial<N8nApi>, initialRouterEntries?: string[]) {
  return renderInTestApp(<WorkflowsPage />, {
    initialRouteEntries: initialRouterEntries,
    apis: [
      [
        n8nApiRef,
        {
          listActions: async () => [requestAccess, rotateCredentials],
          listRuns: async () => [],
          ...api,
        },
      ],
    ],
  } as any);
}

describe('WorkflowsPage', () => {
  it('shows each action as a card and my runs with their status and result', async () => {
    await renderPage({
      listRuns: async () => [
        run({
          status: 'success',
          result: { message: 'Approved by group:default/team-platform' },
          grantId: 'g1',
          finishedAt: '2026-12-04T10:00:03.000Z',
        }),
      ],
    });
    const card = await screen.findByRole('region', {
      name: 'Request temporary access',
    });
    expect(card).toHaveTextContent('Ask for a sensitive action');
    expect(
      within(
        screen.getByRole('region', { name: "Rotate a service's credentials" }),
      ).getByText('needs an approval'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/Approved by group/)).toBeInTheDocument();
    expect(screen.getByLabelText('status success')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Access granted: see My access' }),
    ).toHaveAttribute('href', '/security/access');
  });

  it("opens the action's generated form, shows the server's field errors beside the fields, then starts it", async () => {
    const started: Array<Record<string, unknown>> = [];
    let attempt = 0;
    await renderPage({
      startAction: async (_id, input) => {
        started.push(input);
        attempt += 1;
        if (attempt === 1) {
          throw fieldsError(
            'The input has problems: /reason must NOT have fewer than 15 characters',
            {
              '/reason': 'must NOT have fewer than 15 characters',
            },
          );
        }
        return run();
      },
    });
    const card = await screen.findByRole('region', {
      name: 'Request temporary access',
    });
    await userEvent.click(within(card).getByRole('button', { name: 'Start' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Service/),
      'component:default/usage-metering',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Why you need it/),
      'please',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );
    // The form's own validation: access is required.
    expect(started).toEqual([]);
    await userEvent.click(
      within(dialog).getByRole('button', { name: /Access/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Read cost data' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );
    expect(
      await within(dialog).findByText('must NOT have fewer than 15 characters'),
    ).toBeInTheDocument();
    expect(started[0]).toEqual({
      entityRef: 'component:default/usage-metering',
      access: 'cost.read',
      hours: 8,
      reason: 'please',
    });
    await userEvent.type(
      within(dialog).getByLabelText(/Why you need it/),
      ' - budget review on Friday',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );
    expect(
      await screen.findByText(/Started access-request/),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it("opens an agent's proposal prefilled for the person to confirm", async () => {
    const input = { service: 'component:default/invoice-service' };
    await renderPage({}, [
      `/?action=rotate-credentials&input=${encodeURIComponent(
        JSON.stringify(input),
      )}`,
    ]);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/Service/)).toHaveValue(
      'component:default/invoice-service',
    );
    expect(within(dialog).getByText(/uses up an approval/)).toBeInTheDocument();
  });
});
