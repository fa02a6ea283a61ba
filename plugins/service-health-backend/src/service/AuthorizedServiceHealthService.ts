import { Entity } from '@backstage/catalog-model';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DefaultServiceHealthService } from './DefaultServiceHealthService';
import { Caller, ServiceHealthService } from './ServiceHealthService';

/**
 * Signals of the services the caller may read in the catalog: the catalog applies its read permission
 * (and with it the contractor boundaries), so a restricted service is as unknown as a missing one.
 */
export class AuthorizedServiceHealthService implements ServiceHealthService {
  constructor(
    private readonly inner: DefaultServiceHealthService,
    private readonly catalog: CatalogService,
  ) {}

  private async visibleEntity(
    caller: Caller,
    entityRef: string,
  ): Promise<Entity> {
    let entity: Entity | undefined;
    try {
      entity = await this.catalog.getEntityByRef(entityRef, {
        credentials: caller,
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not be asked about ${entityRef}; try again shortly (${
          (error as Error).message
        })`,
      );
    }
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  }

  async deployments(caller: Caller, entityRef: string) {
    return this.inner.deployments(await this.visibleEntity(caller, entityRef));
  }

  async monitors(caller: Caller, entityRef: string) {
    return this.inner.monitors(await this.visibleEntity(caller, entityRef));
  }

  async errors(caller: Caller, entityRef: string) {
    return this.inner.errors(await this.visibleEntity(caller, entityRef));
  }

  async changes(caller: Caller, entityRef: string) {
    return this.inner.changes(await this.visibleEntity(caller, entityRef));
  }
}
