import path from 'node:path';

/** What the planner needs of a wiki node (the client's WikiNode has more). */
export interface SourceNode {
  node_token: string;
  obj_token: string;
  obj_type: string;
  parent_node_token: string;
  title: string;
}

/** Where in the repository the docs go and whether the wiki tree becomes folders; the job names the service. */
export interface TargetStructure {
  /** Folder in the repository the pages go to, e.g. "docs" or "docs/handbook". Must be inside docs/. */
  docsPath: string;
  /** Mirror the wiki tree as folders; false puts every page side by side. */
  preserveHierarchy: boolean;
}

export interface PlannedDocument {
  nodeToken: string;
  objToken: string;
  /** A docx page, or a drive folder that becomes an index page of what it holds. */
  objType: 'docx' | 'folder';
  title: string;
  /** Repository path of the Markdown file, e.g. docs/deploying/index.md. */
  path: string;
  /** The nearest selected ancestor, or '' for a top-level page of the migration. */
  parentNodeToken: string;
  position: number;
}

export type NavItem = { [title: string]: string | NavItem[] };

export interface MigrationPlan {
  documents: PlannedDocument[];
  /** MkDocs nav entries for the migrated pages, relative to the docs directory. */
  nav: NavItem[];
  skipped: Array<{ nodeToken: string; title: string; reason: string }>;
}

export const DOCS_DIR = 'docs';

/** Readable ASCII file names: "部署流程 Deploying" → "deploying"; titles without ASCII words use the token. */
export function slugify(title: string, fallback: string): string {
  const words = title
    .normalize('NFKD')
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  const slug = (words ?? []).join('-').slice(0, 60).replace(/-+$/, '');
  return slug || fallback.toLowerCase();
}

/** A docsPath users may choose: docs itself or a folder below it, without "..". */
export function normaliseDocsPath(docsPath: string): string | undefined {
  const normalised = path.posix.normalize(
    docsPath.trim().replace(/\\/g, '/').replace(/\/+$/, '') || DOCS_DIR,
  );
  if (
    normalised !== DOCS_DIR &&
    !(
      normalised.startsWith(`${DOCS_DIR}/`) &&
      !normalised.split('/').includes('..')
    )
  ) {
    return undefined;
  }
  return normalised;
}

/**
 * Turns a selection of wiki nodes into the pages of a migration: repository paths that mirror the wiki
 * tree (a page with selected children becomes a folder with index.md), unique per folder, and the nav.
 * `tree` is every node of the space in wiki order (parents before children), `selected` the chosen tokens.
 */
export function planMigration(
  tree: SourceNode[],
  selected: ReadonlySet<string>,
  target: TargetStructure,
): MigrationPlan {
  const root = normaliseDocsPath(target.docsPath);
  if (!root) {
    throw new Error(
      `targetStructure.docsPath "${target.docsPath}" must be "docs" or a folder inside it`,
    );
  }
  const byToken = new Map(tree.map(node => [node.node_token, node]));
  const skipped: MigrationPlan['skipped'] = [];
  const skip = (node: SourceNode, reason: string) =>
    skipped.push({ nodeToken: node.node_token, title: node.title, reason });
  let chosen = tree.filter(node => {
    if (!selected.has(node.node_token)) return false;
    if (node.obj_type === 'folder' && target.preserveHierarchy) return true;
    if (node.obj_type === 'folder') {
      skip(node, 'folders only become pages when the tree is mirrored');
      return false;
    }
    if (node.obj_type !== 'docx') {
      skip(
        node,
        `only docx documents are migrated; this ${node.obj_type} stays in Feishu and is linked from pages that embed it`,
      );
      return false;
    }
    return true;
  });
  const chosenTokens = new Set(chosen.map(node => node.node_token));

  const selectedParent = (node: SourceNode): string => {
    if (!target.preserveHierarchy) return '';
    const seen = new Set<string>();
    let parent = node.parent_node_token;
    while (parent && !chosenTokens.has(parent) && !seen.has(parent)) {
      seen.add(parent);
      parent = byToken.get(parent)?.parent_node_token ?? '';
    }
    return parent && chosenTokens.has(parent) ? parent : '';
  };

  // A folder with nothing chosen inside is not worth a page; children come after parents, so walking
  // backwards empties nested folders first.
  for (const node of [...chosen].reverse()) {
    if (
      node.obj_type === 'folder' &&
      !chosen.some(other => selectedParent(other) === node.node_token)
    ) {
      chosen = chosen.filter(other => other !== node);
      chosenTokens.delete(node.node_token);
      skip(node, 'nothing in this folder was selected');
    }
  }

  const children = new Map<string, SourceNode[]>();
  for (const node of chosen) {
    const parent = selectedParent(node);
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }

  const documents: PlannedDocument[] = [];
  const place = (parent: string, dir: string) => {
    const used = new Set<string>(['index', 'assets']);
    for (const node of children.get(parent) ?? []) {
      const base = slugify(node.title, node.node_token);
      let name = base;
      for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
      used.add(name);
      const hasChildren = (children.get(node.node_token) ?? []).length > 0;
      documents.push({
        nodeToken: node.node_token,
        objToken: node.obj_token,
        objType: node.obj_type === 'folder' ? 'folder' : 'docx',
        title: node.title,
        path: hasChildren
          ? path.posix.join(dir, name, 'index.md')
          : path.posix.join(dir, `${name}.md`),
        parentNodeToken: parent,
        position: documents.length,
      });
      if (hasChildren) place(node.node_token, path.posix.join(dir, name));
    }
  };
  place('', root);
  return { documents, nav: navFor(documents), skipped };
}

/** The migrated pages as MkDocs nav in wiki order (paths relative to docs/); a page with children is a section. */
export function navFor(
  documents: Array<
    Pick<PlannedDocument, 'nodeToken' | 'parentNodeToken' | 'title' | 'path'>
  >,
): NavItem[] {
  const children = new Map<string, typeof documents>();
  for (const doc of documents) {
    children.set(doc.parentNodeToken, [
      ...(children.get(doc.parentNodeToken) ?? []),
      doc,
    ]);
  }
  const build = (parent: string): NavItem[] =>
    (children.get(parent) ?? []).map(doc => {
      const page = path.posix.relative(DOCS_DIR, doc.path);
      const nested = build(doc.nodeToken);
      return nested.length
        ? { [doc.title]: [{ [doc.title]: page }, ...nested] }
        : { [doc.title]: page };
    });
  return build('');
}

/** Relative link from one repository file to another, as Markdown in the first needs it. */
export function relativeLink(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(from), to);
}
