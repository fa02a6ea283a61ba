import { isMap, isScalar, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { NavItem } from './planMigration';

/** What the converter's output needs from Python-Markdown. */
export const REQUIRED_MARKDOWN_EXTENSIONS = [
  'admonition',
  'attr_list',
  'footnotes',
  'tables',
  'pymdownx.superfences',
  'pymdownx.tasklist',
  'pymdownx.tilde',
];

export interface MkdocsUpdate {
  /** The repository's mkdocs.yml, if it has one. */
  existing?: string;
  /** Markdown files already in docs/ (relative to it), for a config that relied on MkDocs' automatic nav. */
  existingPages: string[];
  siteName: string;
  nav: NavItem[];
}

function extensionName(item: unknown): string | undefined {
  if (isScalar(item)) return String(item.value);
  if (isMap(item) && item.items.length === 1) {
    const key = item.items[0].key;
    return isScalar(key) ? String(key.value) : undefined;
  }
  return undefined;
}

function navTitles(seq: YAMLSeq): Array<[string, number]> {
  const titles: Array<[string, number]> = [];
  seq.items.forEach((item, index) => {
    if (isMap(item) && item.items.length === 1 && isScalar(item.items[0].key)) {
      titles.push([String(item.items[0].key.value), index]);
    }
  });
  return titles;
}

/**
 * The repository's mkdocs.yml with the migrated pages in its nav and the Markdown extensions they use;
 * comments and everything else are kept. A page already in the nav under the same title is replaced,
 * so migrating again does not list it twice. Without a nav, MkDocs listed every page alphabetically:
 * those pages come first, then the migrated tree in wiki order.
 */
export function updateMkdocsConfig(update: MkdocsUpdate): string {
  // A repository without mkdocs.yml gets the theme every service here uses (README, "Production configuration").
  const doc = parseDocument(
    update.existing ??
      `site_name: ${JSON.stringify(
        update.siteName,
      )}\ntheme:\n  name: material\n  font: false\n`,
  );
  if (doc.errors.length > 0) {
    throw new Error(`mkdocs.yml is not valid YAML: ${doc.errors[0].message}`);
  }
  if (!isMap(doc.contents)) {
    throw new Error('mkdocs.yml must be a mapping of settings');
  }
  if (!doc.has('site_name')) doc.set('site_name', update.siteName);

  let nav = doc.get('nav');
  if (!isSeq(nav)) {
    const migrated = new Set(
      update.nav.flatMap(function paths(item): string[] {
        return Object.values(item).flatMap(value =>
          typeof value === 'string' ? [value] : value.flatMap(paths),
        );
      }),
    );
    nav = doc.createNode(
      [...update.existingPages]
        .filter(page => !migrated.has(page))
        .sort((a, b) => (a === 'index.md' ? -1 : a.localeCompare(b)))
        .map(page => page),
    ) as YAMLSeq;
    doc.set('nav', nav);
  }
  const navSeq = nav as YAMLSeq;
  // Migrating again replaces the earlier entries of the same titles, where the first of them was.
  const migratedTitles = new Set(update.nav.map(item => Object.keys(item)[0]));
  const replaced = [...navTitles(navSeq)]
    .filter(([title]) => migratedTitles.has(title))
    .map(([, index]) => index);
  const at = replaced.length ? Math.min(...replaced) : navSeq.items.length;
  navSeq.items = navSeq.items.filter((_, index) => !replaced.includes(index));
  navSeq.items.splice(
    at - replaced.filter(index => index < at).length,
    0,
    ...update.nav.map(item => doc.createNode(item)),
  );

  let extensions = doc.get('markdown_extensions');
  if (!isSeq(extensions)) {
    extensions = doc.createNode([]) as YAMLSeq;
    doc.set('markdown_extensions', extensions);
  }
  const extensionSeq = extensions as YAMLSeq;
  const present = new Set(extensionSeq.items.map(extensionName));
  for (const name of REQUIRED_MARKDOWN_EXTENSIONS) {
    if (!present.has(name)) extensionSeq.items.push(doc.createNode(name));
  }
  return doc.toString({ lineWidth: 0 });
}
