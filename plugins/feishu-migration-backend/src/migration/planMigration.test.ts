import fc from 'fast-check';
import path from 'node:path';
import { NavItem, planMigration, slugify, SourceNode } from './planMigration';

/** A random wiki tree in wiki order: each node's parent is an earlier node or the root. */
const wikiTree = fc
  .array(
    fc.record({
      parent: fc.nat(),
      title: fc.oneof(
        fc.constantFrom(
          '部署流程 Deploying',
          '值班',
          'Runbook',
          'runbook',
          'index',
          'assets',
          'A/B 测试',
        ),
        fc.string({ maxLength: 20 }),
      ),
      type: fc.constantFrom('docx', 'docx', 'docx', 'sheet', 'folder'),
      selected: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map(items => {
    const nodes: SourceNode[] = items.map((item, i) => ({
      node_token: `wikcn${i}`,
      obj_token: `doxcn${i}`,
      obj_type: item.type,
      parent_node_token:
        i === 0 || item.parent % (i + 1) === i ? '' : `wikcn${item.parent % i}`,
      title: item.title,
    }));
    const selected = new Set(
      nodes.filter((_, i) => items[i].selected).map(n => n.node_token),
    );
    return { nodes, selected };
  });

function navPaths(items: NavItem[]): string[] {
  return items.flatMap(item =>
    Object.values(item).flatMap(value =>
      typeof value === 'string' ? [value] : navPaths(value),
    ),
  );
}

describe('planMigration', () => {
  it('mirrors the wiki tree: a page with children becomes a folder with index.md', () => {
    const tree: SourceNode[] = [
      {
        node_token: 'a',
        obj_token: 'da',
        obj_type: 'docx',
        parent_node_token: '',
        title: '工程手册 Engineering Handbook',
      },
      {
        node_token: 'b',
        obj_token: 'db',
        obj_type: 'docx',
        parent_node_token: 'a',
        title: '部署流程 Deploying',
      },
      {
        node_token: 'c',
        obj_token: 'dc',
        obj_type: 'docx',
        parent_node_token: 'b',
        title: '回滚 Rolling back',
      },
      {
        node_token: 'd',
        obj_token: 'dd',
        obj_type: 'sheet',
        parent_node_token: 'a',
        title: 'On-call rota',
      },
      {
        node_token: 'e',
        obj_token: 'de',
        obj_type: 'docx',
        parent_node_token: 'a',
        title: '值班',
      },
    ];
    const plan = planMigration(tree, new Set(['a', 'b', 'c', 'd', 'e']), {
      docsPath: 'docs',
      preserveHierarchy: true,
    });
    expect(plan.documents.map(d => d.path)).toEqual([
      'docs/engineering-handbook/index.md',
      'docs/engineering-handbook/deploying/index.md',
      'docs/engineering-handbook/deploying/rolling-back.md',
      'docs/engineering-handbook/e.md',
    ]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ nodeToken: 'd', title: 'On-call rota' }),
    ]);
    expect(plan.nav).toEqual([
      {
        '工程手册 Engineering Handbook': [
          { '工程手册 Engineering Handbook': 'engineering-handbook/index.md' },
          {
            '部署流程 Deploying': [
              {
                '部署流程 Deploying': 'engineering-handbook/deploying/index.md',
              },
              {
                '回滚 Rolling back':
                  'engineering-handbook/deploying/rolling-back.md',
              },
            ],
          },
          { 值班: 'engineering-handbook/e.md' },
        ],
      },
    ]);
  });

  it('drive folders become index pages of what they hold; empty folders are skipped', () => {
    const tree: SourceNode[] = [
      {
        node_token: 'f1',
        obj_token: 'f1',
        obj_type: 'folder',
        parent_node_token: '',
        title: '事故复盘 Incidents',
      },
      {
        node_token: 'd1',
        obj_token: 'd1',
        obj_type: 'docx',
        parent_node_token: 'f1',
        title: '2026-10 Invoice delays',
      },
      {
        node_token: 'f2',
        obj_token: 'f2',
        obj_type: 'folder',
        parent_node_token: 'f1',
        title: 'Drafts',
      },
      {
        node_token: 'd2',
        obj_token: 'd2',
        obj_type: 'docx',
        parent_node_token: '',
        title: 'Code review',
      },
    ];
    const plan = planMigration(tree, new Set(['f1', 'd1', 'f2', 'd2']), {
      docsPath: 'docs',
      preserveHierarchy: true,
    });
    expect(plan.documents.map(d => [d.path, d.objType])).toEqual([
      ['docs/incidents/index.md', 'folder'],
      ['docs/incidents/2026-10-invoice-delays.md', 'docx'],
      ['docs/code-review.md', 'docx'],
    ]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        nodeToken: 'f2',
        reason: 'nothing in this folder was selected',
      }),
    ]);
  });

  it('refuses a docsPath outside docs/', () => {
    expect(() =>
      planMigration([], new Set(), {
        docsPath: '../etc',
        preserveHierarchy: true,
      }),
    ).toThrow(
      'targetStructure.docsPath "../etc" must be "docs" or a folder inside it',
    );
    expect(() =>
      planMigration([], new Set(), {
        docsPath: 'docs/../..',
        preserveHierarchy: true,
      }),
    ).toThrow();
  });

  it('property: every selected docx page gets exactly one unique path under docsPath, inside its nearest selected ancestor, and appears once in the nav', () => {
    fc.assert(
      fc.property(
        wikiTree,
        fc.constantFrom('docs', 'docs/feishu', 'docs/wiki/team/'),
        fc.boolean(),
        ({ nodes, selected }, docsPath, preserveHierarchy) => {
          const plan = planMigration(nodes, selected, {
            docsPath,
            preserveHierarchy,
          });
          const selectedDocx = nodes.filter(
            n => selected.has(n.node_token) && n.obj_type === 'docx',
          );
          const accounted = [
            ...plan.documents.map(d => d.nodeToken),
            ...plan.skipped.map(s => s.nodeToken),
          ];
          const paths = plan.documents.map(d => d.path);
          const root = docsPath.replace(/\/$/, '');
          const byToken = new Map(plan.documents.map(d => [d.nodeToken, d]));
          return (
            // Every selected node is planned or skipped (with a reason), never both; documents always go.
            accounted.length === selected.size &&
            new Set(accounted).size === selected.size &&
            selectedDocx.every(n => byToken.has(n.node_token)) &&
            // A folder is only a page when it holds one, so it is always an index page.
            plan.documents
              .filter(d => d.objType === 'folder')
              .every(d => d.path.endsWith('/index.md')) &&
            new Set(paths).size === paths.length &&
            paths.every(
              p =>
                p.startsWith(`${root}/`) &&
                p.endsWith('.md') &&
                !p.includes('..'),
            ) &&
            plan.documents.every(
              d =>
                d.parentNodeToken === '' ||
                (preserveHierarchy &&
                  d.path.startsWith(
                    `${path.posix.dirname(
                      byToken.get(d.parentNodeToken)!.path,
                    )}/`,
                  ) &&
                  byToken.get(d.parentNodeToken)!.path.endsWith('/index.md')),
            ) &&
            JSON.stringify(navPaths(plan.nav).sort()) ===
              JSON.stringify(
                paths.map(p => path.posix.relative('docs', p)).sort(),
              )
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('slugify keeps ASCII words and falls back to the token', () => {
    expect(slugify('部署流程 Deploying', 'wikcnX')).toBe('deploying');
    expect(slugify('ADR-001 使用 PostgreSQL Use PostgreSQL', 'x')).toBe(
      'adr-001-postgresql-use-postgresql',
    );
    expect(slugify('值班', 'wikcnAbC')).toBe('wikcnabc');
  });
});
