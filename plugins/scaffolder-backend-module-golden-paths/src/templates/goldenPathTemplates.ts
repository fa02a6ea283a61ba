import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';

/** The repository's templates/ folder: one <name>.yaml per golden path, skeletons/, shared/. */
export const TEMPLATES_DIR = resolvePackagePath(
  '@internal/plugin-scaffolder-backend-module-golden-paths',
  '..',
  '..',
  'templates',
);

export const GOLDEN_PATHS = [
  'java-service',
  'go-service',
  'react-web-app',
  'react-native-app',
] as const;
export type GoldenPath = (typeof GOLDEN_PATHS)[number];

/** A golden path's Template entity, as the catalog serves it. */
export function loadTemplate(name: GoldenPath): any {
  return parse(
    fs.readFileSync(path.join(TEMPLATES_DIR, `${name}.yaml`), 'utf8'),
  );
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap(entry => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.name === 'node_modules') return [];
      return entry.isDirectory() ? listFiles(dir, relative) : [relative];
    });
}

/**
 * What the dry-run API needs of the template's folder: the template's skeleton and the shared parts, at
 * the paths its fetch:template steps name.
 */
export function templateDirectoryContents(name: GoldenPath) {
  const folders = [`skeletons/${name}`, 'shared'];
  return folders.flatMap(folder =>
    listFiles(TEMPLATES_DIR, folder).map(file => ({
      path: file,
      base64Content: fs
        .readFileSync(path.join(TEMPLATES_DIR, file))
        .toString('base64'),
    })),
  );
}
