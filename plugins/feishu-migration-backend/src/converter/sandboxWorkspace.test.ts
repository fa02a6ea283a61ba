import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFeishuWorkspace, loadDemoCatalog } from '@internal/sandbox';
import { FeishuBlock } from './feishuBlocks';
import { feishuBlocksToMarkdown } from './feishuBlocksToMarkdown';

describe('converting the sandbox Feishu workspace', () => {
  it('converts every document without unsupported blocks, rewrites internal links, and mkdocs builds the result', () => {
    const workspace = buildFeishuWorkspace(loadDemoCatalog());
    const pathOf = (nodeToken: string) => `${nodeToken}.md`;
    const docLinks = Object.fromEntries(
      workspace.docs.map(doc => [doc.nodeToken, pathOf(doc.nodeToken)]),
    );
    const userNames = Object.fromEntries(
      workspace.users.map(user => [user.openId, user.name]),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feishu-workspace-'));
    try {
      fs.mkdirSync(path.join(dir, 'docs'));
      for (const doc of workspace.docs) {
        const result = feishuBlocksToMarkdown(
          doc.blocks as unknown as FeishuBlock[],
          {
            preserveFormatting: true,
            handleImages: 'link',
            convertTables: true,
            commentHandling: 'preserve',
            docLinks,
            userNames,
            feishuWebUrl: 'https://quillstack.feishu.cn',
            comments: doc.comments.map(c => ({
              commentId: c.comment_id,
              blockId: c.block_id,
              quote: c.quote,
              author: c.user_id,
              content: c.text,
            })),
          },
        );
        expect({ doc: doc.title, warnings: result.warnings }).toEqual({
          doc: doc.title,
          warnings: [],
        });
        // Every mention resolved to a name.
        expect(result.markdown).not.toMatch(/@ou_[0-9a-f]+/);
        fs.writeFileSync(
          path.join(dir, 'docs', pathOf(doc.nodeToken)),
          result.markdown,
        );
      }
      const runbook = fs.readFileSync(
        path.join(
          dir,
          'docs',
          pathOf(
            workspace.docs.find(d => d.title.startsWith('invoice-service'))!
              .nodeToken,
          ),
        ),
        'utf8',
      );
      expect(runbook).toMatch(
        /\[tax-calculator 运维手册 Runbook\]\(wikcn[0-9a-f]+\.md\)/,
      );
      expect(runbook).toContain('rowspan="2"');
      expect(runbook).toContain('!!! warning');
      fs.writeFileSync(
        path.join(dir, 'mkdocs.yml'),
        'site_name: migrated\ntheme:\n  name: material\n  font: false\nmarkdown_extensions:\n  - admonition\n  - tables\n  - footnotes\n  - pymdownx.tasklist\n  - pymdownx.superfences\n  - pymdownx.tilde\n',
      );
      execFileSync('mkdocs', ['build', '--quiet'], { cwd: dir, stdio: 'pipe' });
      expect(
        fs.readdirSync(path.join(dir, 'site')).length,
      ).toBeGreaterThanOrEqual(workspace.docs.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
