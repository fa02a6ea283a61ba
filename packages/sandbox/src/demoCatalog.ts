import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

export const DEFAULT_CATALOG_DIR = resolvePackagePath(
  '@internal/sandbox',
  '..',
  '..',
  'catalog',
);

export interface DemoEntity {
  kind: string;
  metadata: {
    name: string;
    title?: string;
    description?: string;
    tags?: string[];
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export interface DemoComponent {
  name: string;
  description: string;
  type: string;
  lifecycle: string;
  owner: string;
  system: string;
  tags: string[];
  annotations: Record<string, string>;
  dependsOn: string[];
  providesApis: string[];
  consumesApis: string[];
}

export interface DemoCatalog {
  /** The directory the catalog was read from; components' repositories live in components/<name>. */
  directory: string;
  entities: DemoEntity[];
  components: DemoComponent[];
  component(name: string): DemoComponent | undefined;
}

function readEntities(file: string): DemoEntity[] {
  const documents = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  return documents.map(doc => {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors[0].message}`);
    }
    return doc.toJS() as DemoEntity;
  });
}

/** Reads the demo catalog the same way the portal does: from catalog/all.yaml and the files it targets. */
export function loadDemoCatalog(catalogDir = DEFAULT_CATALOG_DIR): DemoCatalog {
  const [location] = readEntities(path.join(catalogDir, 'all.yaml'));
  const targets = (location.spec.targets as string[]) ?? [];
  const entities = targets.flatMap(target =>
    readEntities(path.join(catalogDir, target)),
  );
  const components = entities
    .filter(entity => entity.kind === 'Component')
    .map(entity => {
      const spec = entity.spec as Record<string, string & string[]>;
      return {
        name: entity.metadata.name,
        description: entity.metadata.description ?? '',
        type: spec.type,
        lifecycle: spec.lifecycle,
        owner: spec.owner,
        system: spec.system,
        tags: entity.metadata.tags ?? [],
        annotations: entity.metadata.annotations ?? {},
        dependsOn: spec.dependsOn ?? [],
        providesApis: spec.providesApis ?? [],
        consumesApis: spec.consumesApis ?? [],
      };
    });
  const byName = new Map(components.map(c => [c.name, c]));
  return {
    directory: catalogDir,
    entities,
    components,
    component: name => byName.get(name),
  };
}

/** An entity of the demo catalog as the portal's catalog serves it (for catalog mocks in tests). */
export interface ServedEntity {
  apiVersion: string;
  kind: string;
  metadata: DemoEntity['metadata'] & { namespace: string };
  spec: Record<string, unknown>;
  relations: Array<{ type: string; targetRef: string }>;
}

/**
 * Users, groups and components as the catalog serves them: memberships as relations, users and groups
 * read from `orgSource` (a trusted org source for the security policy), components from their
 * repository's catalog-info.yaml on GitHub.
 */
export function servedEntities(
  catalog: DemoCatalog,
  { orgSource }: { orgSource: string },
): ServedEntity[] {
  return catalog.entities
    .filter(e => ['User', 'Group', 'Component'].includes(e.kind))
    .map(e => {
      const slug = e.metadata.annotations?.['github.com/project-slug'];
      const location =
        e.kind === 'Component'
          ? `url:https://github.com/${slug}/blob/main/catalog-info.yaml`
          : orgSource;
      const memberOf = (e.spec.memberOf as string[] | undefined) ?? [];
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: e.kind,
        metadata: {
          ...e.metadata,
          namespace: 'default',
          annotations: {
            ...e.metadata.annotations,
            'backstage.io/managed-by-location': location,
          },
        },
        spec: e.spec,
        relations: memberOf.map(group => ({
          type: 'memberOf',
          targetRef: `group:default/${group}`,
        })),
      };
    });
}
