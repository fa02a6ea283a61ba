import fc from 'fast-check';
import { WikiTreeNode } from '@internal/plugin-feishu-migration-common';
import {
  descendantTokens,
  flattenTree,
  matchingRows,
  objTypeNote,
  toggleWithDescendants,
} from './wikiTree';

const node = (nodeToken: string, parentNodeToken = '', title = nodeToken) =>
  ({
    nodeToken,
    objToken: `obj-${nodeToken}`,
    objType: 'docx',
    parentNodeToken,
    title,
  } satisfies WikiTreeNode);

/** A random forest: each node's parent is an earlier node or the root. */
const anyForest = fc
  .array(fc.nat(), { maxLength: 40 })
  .map(parents =>
    parents.map((p, i) =>
      node(`n${i}`, i === 0 || p % (i + 1) === i ? '' : `n${p % i}`),
    ),
  );

describe('wikiTree', () => {
  const tree = [
    node('a'),
    node('a1', 'a', 'Runbook'),
    node('a1x', 'a1', 'Alerts'),
    node('b', '', 'Postmortems'),
  ];

  it('flattens parents before children with their depth', () => {
    expect(flattenTree(tree).map(r => [r.node.nodeToken, r.depth])).toEqual([
      ['a', 0],
      ['a1', 1],
      ['a1x', 2],
      ['b', 0],
    ]);
  });

  it('checks and unchecks a page with everything below it', () => {
    const on = toggleWithDescendants(tree, new Set(), 'a', true);
    expect([...on].sort()).toEqual(['a', 'a1', 'a1x']);
    const off = toggleWithDescendants(tree, on, 'a1', false);
    expect([...off]).toEqual(['a']);
  });

  it('finds pages by title ignoring case, and all of them for a blank search', () => {
    const rows = flattenTree(tree);
    expect(matchingRows(rows, ' runBOOK ').map(r => r.node.title)).toEqual([
      'Runbook',
    ]);
    expect(matchingRows(rows, '  ')).toHaveLength(4);
  });

  it('says what happens to pages that are not docx documents', () => {
    expect(objTypeNote('docx')).toBe('');
    expect(objTypeNote('folder')).toContain('index page');
    expect(objTypeNote('sheet')).toBe(' (sheet, stays in Feishu)');
  });

  it('survives a cycle in what Feishu returned', () => {
    const cyclic = [node('x', 'y'), node('y', 'x'), node('r')];
    expect(flattenTree(cyclic).map(r => r.node.nodeToken)).toEqual(['r']);
    expect(descendantTokens(cyclic, 'x')).toEqual(['y']);
  });

  it('flattening a forest lists every node once, each after its parent', () => {
    fc.assert(
      fc.property(anyForest, nodes => {
        const rows = flattenTree(nodes);
        const order = rows.map(r => r.node.nodeToken);
        expect(new Set(order).size).toBe(nodes.length);
        const childBeforeParent = rows.filter(
          ({ node: n }) =>
            n.parentNodeToken !== '' &&
            order.indexOf(n.parentNodeToken) > order.indexOf(n.nodeToken),
        );
        expect(childBeforeParent).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('checking then unchecking any page leaves the selection as it was, minus that subtree', () => {
    fc.assert(
      fc.property(anyForest, fc.nat(), (nodes, pick) => {
        fc.pre(nodes.length > 0);
        const token = nodes[pick % nodes.length].nodeToken;
        const before = new Set(
          nodes.filter((_, i) => i % 3 === 0).map(n => n.nodeToken),
        );
        const after = toggleWithDescendants(
          nodes,
          toggleWithDescendants(nodes, before, token, true),
          token,
          false,
        );
        const subtree = new Set([token, ...descendantTokens(nodes, token)]);
        expect([...after].sort()).toEqual(
          [...before].filter(t => !subtree.has(t)).sort(),
        );
      }),
      { numRuns: 200 },
    );
  });
});
