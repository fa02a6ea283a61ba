import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  ChangesSignal,
  Deployment,
  DeploymentsSignal,
  ErrorsSignal,
  MonitorsSignal,
} from '@internal/plugin-service-health-common';

import { ArgoApplication } from '../clients/ArgoCdClient';

export type Caller = BackstageCredentials<BackstageUserPrincipal>;

/** A service's delivery and health, for a caller, by the service's entity ref. */
export interface ServiceHealthService {
  deployments(
    caller: Caller,
    entityRef: string,
    options?: { refresh?: boolean },
  ): Promise<DeploymentsSignal>;
  /** Starts a sync of one of the service's applications, for whoever may deploy it. */
  sync(
    caller: Caller,
    entityRef: string,
    application: string,
  ): Promise<Deployment>;
  monitors(caller: Caller, entityRef: string): Promise<MonitorsSignal>;
  /** Argo CD applications as Argo CD returns them (for the Roadie cards), of services the caller may read. */
  argoApplications(
    caller: Caller,
    selector?: string,
  ): Promise<ArgoApplication[]>;
  argoApplication(caller: Caller, name: string): Promise<ArgoApplication>;
  argoRevisionMetadata(
    caller: Caller,
    name: string,
    revision: string,
  ): Promise<Record<string, unknown>>;
  errors(caller: Caller, entityRef: string): Promise<ErrorsSignal>;
  changes(caller: Caller, entityRef: string): Promise<ChangesSignal>;
}
