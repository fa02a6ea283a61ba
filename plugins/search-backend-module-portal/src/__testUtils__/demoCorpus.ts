import { Readable } from 'node:stream';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { IndexableDocument } from '@backstage/plugin-search-common';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';

export { demoEntities, demoDocPages } from '@internal/test-utils';

/** A search module indexing the given pages as the techdocs type. */
export function docPagesCollator(pages: () => IndexableDocument[]) {
  return createBackendModule({
    pluginId: 'search',
    moduleId: 'test-doc-pages',
    register(env) {
      env.registerInit({
        deps: {
          indexRegistry: searchIndexRegistryExtensionPoint,
          scheduler: coreServices.scheduler,
        },
        async init({ indexRegistry, scheduler }) {
          indexRegistry.addCollator({
            schedule: scheduler.createScheduledTaskRunner({
              frequency: { minutes: 10 },
              timeout: { minutes: 1 },
              initialDelay: { seconds: 1 },
            }),
            factory: {
              type: 'techdocs',
              getCollator: async () => Readable.from(pages()),
            },
          });
        },
      });
    },
  });
}
