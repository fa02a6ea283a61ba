import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { MigrationJob } from '@internal/plugin-feishu-migration-common';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';
import { details, fakeApi, job } from '../testFixtures';
import { MigrationDetails } from './MigrationDetails';

// Material UI renders slowly on the 2-core build machine.
jest.setTimeout(20_000);

describe('MigrationDetails', () => {
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

  it('shows a document that failed with its error', async () => {
    await renderInTestApp(<MigrationDetails id="job-1" />, {
      apis: [
        [
          feishuMigrationApiRef,
          fakeApi({
            getMigration: async () => ({
              ...details,
              status: 'failed',
              documentsFailed: 1,
              documents: [
                {
                  ...details.documents[0],
                  status: 'failed',
                  validation: undefined,
                  error: 'Feishu did not answer for Document doxcn1',
                },
              ],
            }),
          }),
        ],
      ],
    });
    expect(
      await screen.findByText(/Feishu did not answer for Document doxcn1/),
    ).toBeInTheDocument();
  });
});
