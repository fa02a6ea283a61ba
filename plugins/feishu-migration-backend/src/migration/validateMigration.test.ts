import { buildFeishuWorkspace, loadDemoCatalog } from '@internal/sandbox';
import { FeishuBlock } from '../converter/feishuBlocks';
import { feishuBlocksToMarkdown } from '../converter/feishuBlocksToMarkdown';
import { mapPermissions } from './permissionMapping';
import { validateDocument } from './validateMigration';

const workspace = buildFeishuWorkspace(loadDemoCatalog());
const runbook = workspace.docs.find(d =>
  d.title.startsWith('invoice-service'),
)!;
const linked = workspace.docs.find(d => d.title.startsWith('tax-calculator'))!;
const blocks = runbook.blocks as unknown as FeishuBlock[];
const PAGE = 'docs/billing/invoice-service.md';
const LINKED = 'docs/billing/tax-calculator.md';

function convert() {
  return feishuBlocksToMarkdown(blocks, {
    preserveFormatting: true,
    handleImages: 'download',
    convertTables: true,
    commentHandling: 'preserve',
    assetsPath: '../assets',
    docLinks: { [linked.nodeToken]: 'tax-calculator.md' },
  });
}

function validate(
  markdown: string,
  outputPaths = [
    PAGE,
    LINKED,
    `docs/assets/${convert().assets[0].path.split('/').pop()}`,
  ],
) {
  return validateDocument({
    blocks,
    markdown,
    path: PAGE,
    outputPaths: new Set(outputPaths),
    migratedTokens: new Set([linked.nodeToken, linked.documentId]),
  });
}

describe('validateDocument', () => {
  it('passes a faithful conversion of a runbook (headings, text, image, table with merged cells, link)', () => {
    const report = validate(convert().markdown);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      textShare: 1,
      images: { source: 1, resolved: 1 },
      links: { relative: 1, unresolved: [], notRewritten: [] },
    });
    expect(report.headings.source).toBeGreaterThanOrEqual(4);
    expect(report.tables.source).toBe(report.tables.output);
  });

  it('names what a damaged page lost', () => {
    const { markdown } = convert();
    const damaged = markdown
      .replace(/^## .*$/m, '')
      .replace(/<table[\s\S]*?<\/table>/, '')
      .replace(
        'tax-calculator.md',
        `https://quillstack.feishu.cn/wiki/${linked.nodeToken}`,
      );
    const report = validate(damaged, [PAGE, LINKED]);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^1 of \d+ headings are missing$/),
        expect.stringMatching(
          /^only \d+\.\d% of the source text is in the page$/,
        ),
        '1 of 1 images do not resolve',
        `links still pointing at migrated Feishu pages: https://quillstack.feishu.cn/wiki/${linked.nodeToken}`,
        expect.stringMatching(/^1 of \d+ tables are missing$/),
      ]),
    );
  });

  it('reports a relative link to a page that is not migrated', () => {
    const report = validate(convert().markdown, [PAGE]);
    expect(report.links.unresolved).toEqual(['tax-calculator.md']);
  });
});

describe('mapPermissions', () => {
  it('maps the most specific rule first and counts pages per member', () => {
    const report = mapPermissions(
      [
        {
          members: [
            { member_type: 'openchat', member_id: 'oc_1', perm: 'edit' },
            { member_type: 'department', member_id: 'od-1', perm: 'view' },
          ],
        },
        {
          members: [
            { member_type: 'openchat', member_id: 'oc_1', perm: 'edit' },
            { member_type: 'user', member_id: 'ou_9', perm: 'full_access' },
          ],
        },
      ],
      [
        { feishuRole: 'view', backstageRole: 'viewer' },
        {
          feishuRole: 'openchat:oc_1',
          backstageRole: 'group:default/team-billing',
        },
        { feishuRole: 'od-1', backstageRole: 'group:default/engineering' },
      ],
    );
    expect(report).toEqual([
      {
        memberType: 'openchat',
        memberId: 'oc_1',
        perm: 'edit',
        documents: 2,
        backstageRole: 'group:default/team-billing',
      },
      {
        memberType: 'department',
        memberId: 'od-1',
        perm: 'view',
        documents: 1,
        backstageRole: 'group:default/engineering',
      },
      {
        memberType: 'user',
        memberId: 'ou_9',
        perm: 'full_access',
        documents: 1,
        backstageRole: null,
      },
    ]);
  });
});
