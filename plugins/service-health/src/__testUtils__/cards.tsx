import { ReactElement } from 'react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Freshness } from '@internal/plugin-service-health-common';
import {
  ServiceHealthApi,
  serviceHealthApiRef,
} from '../api/ServiceHealthClient';

export const FRESH: Freshness = {
  asOf: new Date(Date.now() - 2 * 60_000).toISOString(),
  stale: false,
};

export const STALE: Freshness = {
  asOf: new Date(Date.now() - 3 * 3_600_000).toISOString(),
  stale: true,
  problem: 'Datadog did not answer: fetch failed; try again shortly',
};

export function service(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'invoice-service', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-billing', lifecycle: 'production' },
  };
}

const unused = async (): Promise<never> => {
  throw new Error('not used by this test');
};

/** Renders a card on a service's page with the API answering as given. */
export function renderCard(
  card: ReactElement,
  entity: Entity,
  api: Partial<ServiceHealthApi>,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{card}</EntityProvider>,
    {
      apis: [
        [
          serviceHealthApiRef,
          {
            deployments: unused,
            sync: unused,
            monitors: unused,
            errors: unused,
            changes: unused,
            ...api,
          },
        ],
      ],
    },
  );
}
