import { WikiTreeNode } from '@internal/plugin-feishu-migration-common';

export interface TreeRow {
  node: WikiTreeNode;
  depth: number;
}

function childrenByParent(nodes: WikiTreeNode[]) {
  const children = new Map<string, WikiTreeNode[]>();
  for (const node of nodes) {
    const siblings = children.get(node.parentNodeToken) ?? [];
    siblings.push(node);
    children.set(node.parentNodeToken, siblings);
  }
  return children;
}

/** Depth-first order with each node's depth, so the tree renders as an indented list. */
export function flattenTree(nodes: WikiTreeNode[]): TreeRow[] {
  const children = childrenByParent(nodes);
  const rows: TreeRow[] = [];
  const visited = new Set<string>();
  const visit = (parent: string, depth: number) => {
    for (const node of children.get(parent) ?? []) {
      // A cycle in what Feishu returned must not hang the page.
      if (visited.has(node.nodeToken)) continue;
      visited.add(node.nodeToken);
      rows.push({ node, depth });
      visit(node.nodeToken, depth + 1);
    }
  };
  visit('', 0);
  return rows;
}

/** Every node below this one, at any depth. */
export function descendantTokens(
  nodes: WikiTreeNode[],
  token: string,
): string[] {
  const children = childrenByParent(nodes);
  const found: string[] = [];
  const seen = new Set([token]);
  const stack = [token];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (seen.has(child.nodeToken)) continue;
      seen.add(child.nodeToken);
      found.push(child.nodeToken);
      stack.push(child.nodeToken);
    }
  }
  return found;
}

/** Checking a page checks everything below it; unchecking unchecks it all. */
export function toggleWithDescendants(
  nodes: WikiTreeNode[],
  selected: ReadonlySet<string>,
  token: string,
  on: boolean,
): Set<string> {
  const next = new Set(selected);
  for (const t of [token, ...descendantTokens(nodes, token)]) {
    if (on) next.add(t);
    else next.delete(t);
  }
  return next;
}

/** Rows whose title contains the search text, ignoring case; all rows for a blank search. */
export function matchingRows(rows: TreeRow[], search: string): TreeRow[] {
  const needle = search.trim().toLocaleLowerCase();
  return needle
    ? rows.filter(row => row.node.title.toLocaleLowerCase().includes(needle))
    : rows;
}

/** What happens to a page that is not a docx document. */
export function objTypeNote(objType: string): string {
  if (objType === 'docx') return '';
  if (objType === 'folder') return ' (folder: becomes an index page)';
  return ` (${objType}, stays in Feishu)`;
}
