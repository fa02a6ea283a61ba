import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { rootRouteRef } from '../../routes';
import { EntityAssistantCard } from './EntityAssistantCard';

const Where = () => {
  const location = useLocation();
  return <div>at {`${location.pathname}${location.search}`}</div>;
};

describe('EntityAssistantCard', () => {
  it('opens the assistant about this service with the question asked', async () => {
    await renderInTestApp(
      <Routes>
        <Route
          path="/"
          element={
            <EntityProvider
              entity={{
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: 'invoice-service', namespace: 'default' },
                spec: { owner: 'team-billing' },
              }}
            >
              <EntityAssistantCard />
            </EntityProvider>
          }
        />
        <Route path="/assistant" element={<Where />} />
      </Routes>,
      { mountedRoutes: { '/assistant': rootRouteRef } },
    );
    await userEvent.type(
      screen.getByLabelText(/why is invoice-service failing/),
      'why did checkout fail?',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Ask' }));
    expect(
      await screen.findByText(
        'at /assistant?entity=component%3Adefault%2Finvoice-service&q=why+did+checkout+fail%3F',
      ),
    ).toBeInTheDocument();
  });
});
