import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { responseData } from '@internal/api-client';
import {
  ChangesSignal,
  createServiceHealthApiClient,
  Deployment,
  DeploymentsSignal,
  ErrorsSignal,
  MonitorsSignal,
} from '@internal/plugin-service-health-common';

export interface ServiceHealthApi {
  deployments(
    entityRef: string,
    options?: { refresh?: boolean },
  ): Promise<DeploymentsSignal>;
  /** Starts a sync of one of the service's applications (deployment.sync; may need an approval). */
  sync(entityRef: string, application: string): Promise<Deployment>;
  monitors(entityRef: string): Promise<MonitorsSignal>;
  errors(entityRef: string): Promise<ErrorsSignal>;
  changes(entityRef: string): Promise<ChangesSignal>;
}

export const serviceHealthApiRef = createApiRef<ServiceHealthApi>({
  id: 'plugin.service-health',
});

/** The service-health backend through the client generated from its openapi.yaml. */
export class ServiceHealthClient implements ServiceHealthApi {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  private async client() {
    return createServiceHealthApiClient(
      await this.discoveryApi.getBaseUrl('service-health'),
      (url, init) => this.fetchApi.fetch(url, init),
    );
  }

  async deployments(entityRef: string, options: { refresh?: boolean } = {}) {
    return responseData(
      (await this.client()).GET('/deployments', {
        params: {
          query: { entityRef, ...(options.refresh ? { refresh: true } : {}) },
        },
      }),
    );
  }

  async sync(entityRef: string, application: string) {
    return responseData(
      (await this.client()).POST('/deployments/sync', {
        body: { entityRef, application },
      }),
    );
  }

  async monitors(entityRef: string) {
    return responseData(
      (await this.client()).GET('/monitors', {
        params: { query: { entityRef } },
      }),
    );
  }

  async errors(entityRef: string) {
    return responseData(
      (await this.client()).GET('/errors', {
        params: { query: { entityRef } },
      }),
    );
  }

  async changes(entityRef: string) {
    return responseData(
      (await this.client()).GET('/changes', {
        params: { query: { entityRef } },
      }),
    );
  }
}
