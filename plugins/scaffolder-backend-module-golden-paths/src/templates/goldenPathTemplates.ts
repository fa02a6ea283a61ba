import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';

/** The repository's templates/ folder: one <name>.yaml per golden path, skeletons/, shared/, parameters/. */
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

/** Resolves the catalog's `$yaml: ./relative.yaml` placeholders as the catalog does for a file location. */
function resolvePlaceholders(value: unknown, baseDir: string): unknown {
  if (Array.isArray(value)) {
    return value.map(item => resolvePlaceholders(item, baseDir));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === '$yaml') {
      const file = path.resolve(baseDir, String(entries[0][1]));
      return resolvePlaceholders(
        parse(fs.readFileSync(file, 'utf8')),
        path.dirname(file),
      );
    }
    return Object.fromEntries(
      entries.map(([key, item]) => [key, resolvePlaceholders(item, baseDir)]),
    );
  }
  return value;
}

/** A golden path's Template entity, as the catalog serves it. */
export function loadTemplate(name: GoldenPath): any {
  const raw = parse(
    fs.readFileSync(path.join(TEMPLATES_DIR, `${name}.yaml`), 'utf8'),
  );
  return resolvePlaceholders(raw, TEMPLATES_DIR);
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
