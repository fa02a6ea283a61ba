import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { DEFAULT_CATALOG_DIR, loadDemoCatalog } from '@internal/sandbox';

const REPO = path.resolve(DEFAULT_CATALOG_DIR, '..');

/** The demo catalog and the golden-path templates, as the catalog serves them. */
export function demoEntities(): Entity[] {
  const templates = fs
    .readdirSync(path.join(REPO, 'templates'))
    .filter(file => file.endsWith('.yaml') && file !== 'all.yaml')
    .flatMap(file =>
      parseAllDocuments(
        fs.readFileSync(path.join(REPO, 'templates', file), 'utf8'),
      ).map(doc => doc.toJS()),
    )
    .filter(entity => entity?.kind === 'Template');
  return [...loadDemoCatalog().entities, ...templates].map(entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    ...entity,
    metadata: {
      ...entity.metadata,
      namespace: 'default',
      etag: `etag-${entity.metadata.name}`,
    },
  })) as Entity[];
}

/** A docs page as the TechDocs collator indexes it (a search document of type techdocs). */
export interface DemoDocPage {
  title: string;
  text: string;
  location: string;
  path: string;
  kind: string;
  namespace: string;
  name: string;
  entityTitle?: string;
  componentType: string;
  lifecycle: string;
  owner: string;
  authorization: { resourceRef: string };
}

/**
 * The demo services' docs pages as the TechDocs collator indexes them: each service's docs built with
 * mkdocs (as the portal builds them) and its search_index.json read page by page.
 */
export function demoDocPages(entities: Entity[]): DemoDocPage[] {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'search-corpus-'));
  try {
    return entities
      .filter(e => e.metadata.annotations?.['backstage.io/techdocs-ref'])
      .flatMap(entity => {
        const name = entity.metadata.name;
        const site = path.join(out, name);
        execFileSync('mkdocs', ['build', '--quiet', '--site-dir', site], {
          cwd: path.join(DEFAULT_CATALOG_DIR, 'components', name),
          stdio: 'ignore',
        });
        const { docs } = JSON.parse(
          fs.readFileSync(
            path.join(site, 'search', 'search_index.json'),
            'utf8',
          ),
        ) as { docs: Array<{ location: string; title: string; text: string }> };
        return docs.map(doc => ({
          title: doc.title,
          text: doc.text,
          location: `/docs/default/component/${name}/${doc.location}`,
          path: doc.location,
          kind: 'component',
          namespace: 'default',
          name,
          entityTitle: entity.metadata.title,
          componentType: String(entity.spec?.type ?? 'other'),
          lifecycle: String(entity.spec?.lifecycle ?? ''),
          owner: String(entity.spec?.owner ?? ''),
          authorization: { resourceRef: stringifyEntityRef(entity) },
        }));
      });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
