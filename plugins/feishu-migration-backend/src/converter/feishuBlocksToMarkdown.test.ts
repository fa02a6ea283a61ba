import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeishuBlock, TextElement } from './feishuBlocks';
import {
  ConversionOptions,
  feishuBlocksToMarkdown,
} from './feishuBlocksToMarkdown';
import { parseMarkdown, renderedText } from '../migration/renderedMarkdown';

type Token = ReturnType<typeof parseMarkdown>[number];

const OPTIONS: ConversionOptions = {
  preserveFormatting: true,
  handleImages: 'download',
  convertTables: true,
  commentHandling: 'preserve',
  feishuWebUrl: 'https://quillstack.feishu.cn',
  userNames: { ou_erik: 'Erik Larsen' },
  docLinks: { wikcnLedger: '../ledger/index.md' },
};

const run = (content: string, style: object = {}): TextElement => ({
  text_run: { content, text_element_style: style },
});
const block = (
  id: string,
  type: number,
  extra: object = {},
  children?: string[],
): FeishuBlock =>
  ({
    block_id: id,
    block_type: type,
    ...(children ? { children } : {}),
    ...extra,
  } as FeishuBlock);

describe('feishuBlocksToMarkdown', () => {
  it('converts a runbook with every kind of block (golden)', () => {
    const blocks: FeishuBlock[] = [
      block('page', 1, { page: { elements: [run('发票服务 Runbook')] } }, [
        'h1',
        'p1',
        'b1',
        'b2',
        'o1',
        'o2',
        't1',
        'code',
        'quote',
        'callout',
        'div',
        'img',
        'table',
        'merged',
        'grid',
        'file',
        'h9',
        'eq',
        'odd',
      ]),
      block('h1', 3, { heading1: { elements: [run('When invoices stop')] } }),
      block('p1', 2, {
        text: {
          elements: [
            run('Ask '),
            { mention_user: { user_id: 'ou_erik' } },
            run(', check '),
            run('outbox_lag', { inline_code: true }),
            run(' and read '),
            {
              mention_doc: { token: 'wikcnLedger', title: 'the ledger guide' },
            },
            run('. '),
            run('Never', { bold: true }),
            run(' delete rows ', { italic: true }),
            run('by hand', { strikethrough: true, underline: true }),
            run(' – see '),
            run('docs', {
              link: { url: 'https%3A%2F%2Fdocs.quillstack.example%2Fbilling' },
            }),
          ],
        },
      }),
      block(
        'b1',
        12,
        { bullet: { elements: [run('first *literal* stars')] } },
        ['b1a'],
      ),
      block('b1a', 12, { bullet: { elements: [run('nested')] } }),
      block('b2', 12, { bullet: { elements: [run('second')] } }),
      block('o1', 13, {
        ordered: { elements: [run('step three')], style: { sequence: '3' } },
      }),
      block('o2', 13, {
        ordered: { elements: [run('step four')], style: { sequence: 'auto' } },
      }),
      block('t1', 17, {
        todo: { elements: [run('restart the poller')], style: { done: true } },
      }),
      block('code', 14, {
        code: {
          elements: [
            run(
              'kubectl -n invoicing rollout restart deploy/invoice-service\n',
            ),
          ],
          style: { language: 7 },
        },
      }),
      block('quote', 15, {
        quote: { elements: [run('Numbers are gap-free.')] },
      }),
      block('callout', 19, { callout: { emoji_id: 'warning' } }, ['cp']),
      block('cp', 2, {
        text: { elements: [run('Ask #billing-oncall first.')] },
      }),
      block('div', 22, { divider: {} }),
      block('img', 27, {
        image: { token: 'boxcnImage1', width: 640, height: 480 },
      }),
      block('table', 31, {
        table: {
          cells: ['c1', 'c2', 'c3', 'c4'],
          property: { row_size: 2, column_size: 2 },
        },
      }),
      ...['c1', 'c2', 'c3', 'c4'].map(id =>
        block(id, 32, { table_cell: {} }, [`${id}t`]),
      ),
      block('c1t', 2, { text: { elements: [run('Alert')] } }),
      block('c2t', 2, { text: { elements: [run('Action | owner')] } }),
      block('c3t', 2, { text: { elements: [run('outbox lag')] } }),
      block('c4t', 2, { text: { elements: [run('restart')] } }),
      block('merged', 31, {
        table: {
          cells: ['m1', 'm2', 'm3', 'm4'],
          property: {
            row_size: 2,
            column_size: 2,
            merge_info: [
              { row_span: 1, col_span: 2 },
              { row_span: 1, col_span: 1 },
              { row_span: 1, col_span: 1 },
              { row_span: 1, col_span: 1 },
            ],
          },
        },
      }),
      ...['m1', 'm2', 'm3', 'm4'].map(id =>
        block(id, 32, { table_cell: {} }, [`${id}t`]),
      ),
      block('m1t', 2, { text: { elements: [run('Q3 costs')] } }),
      block('m2t', 2, { text: { elements: [run('hidden')] } }),
      block('m3t', 2, { text: { elements: [run('CPU')] } }),
      block('m4t', 2, { text: { elements: [run('$120')] } }),
      block('grid', 24, { grid: { column_size: 2 } }, ['col1', 'col2']),
      block('col1', 25, { grid_column: { width_ratio: 50 } }, ['g1']),
      block('col2', 25, { grid_column: { width_ratio: 50 } }, ['g2']),
      block('g1', 2, { text: { elements: [run('left column')] } }),
      block('g2', 2, { text: { elements: [run('right column')] } }),
      block('file', 23, {
        file: { token: 'boxcnFile', name: 'postmortem.pdf' },
      }),
      block('h9', 11, { heading9: { elements: [run('Tiny heading')] } }),
      block('eq', 2, {
        text: { elements: [{ equation: { content: 'E = mc^2\n' } }] },
      }),
      block('odd', 21, { diagram: {} }),
    ];
    const result = feishuBlocksToMarkdown(blocks, {
      ...OPTIONS,
      comments: [
        {
          commentId: 'c7',
          blockId: 'quote',
          author: 'Hana Sato',
          content: 'Also in France.',
        },
      ],
    });
    expect(result.title).toBe('发票服务 Runbook');
    expect(result.assets).toEqual([
      { token: 'boxcnImage1', path: 'assets/boxcnImage1.png' },
    ]);
    expect(result.warnings).toEqual([
      'unsupported block type 21 (odd) kept as a comment',
    ]);
    expect(result.markdown).toBe(`# 发票服务 Runbook

# When invoices stop

Ask @Erik Larsen, check \`outbox_lag\` and read [the ledger guide](../ledger/index.md). **Never** *delete rows* ~~<u>by hand</u>~~ – see [docs](https://docs.quillstack.example/billing)

- first \\*literal\\* stars

    - nested
- second

3. step three
4. step four

- [x] restart the poller

\`\`\`bash
kubectl -n invoicing rollout restart deploy/invoice-service
\`\`\`

> Numbers are gap-free.[^c7]

!!! warning
    Ask \\#billing-oncall first.

---

![](assets/boxcnImage1.png)

| Alert | Action \\\\| owner |
| --- | --- |
| outbox lag | restart |

<table>
  <tr>
    <th colspan="2">Q3 costs</th>
  </tr>
  <tr>
    <td>CPU</td>
    <td>\\$120</td>
  </tr>
</table>

left column

right column

[📎 postmortem.pdf](https://quillstack.feishu.cn/file/boxcnFile) *(attachment kept in Feishu)*

###### Tiny heading

$$
E = mc^2
$$

<!-- feishu block odd of type 21 was not converted -->

[^c7]: Hana Sato: Also in France.
`);
  });

  it('escapes only what would start a block, and keeps bold or italic at the start of a line', () => {
    const paragraph = (id: string, ...elements: TextElement[]) =>
      block(id, 2, { text: { elements } });
    const paragraphs = [
      paragraph('owner', run('Owner:', { bold: true }), run(' Erik')),
      paragraph('note', run('Note', { italic: true }), run(': read first')),
      paragraph('step', run('1. Drain the queue')),
      paragraph('year', run('2026 budget')),
      paragraph('dash', run('- not a list')),
      paragraph('minus', run('-5 °C at night')),
      paragraph('heading', run('# not a heading')),
      paragraph('hashtag', run('#billing-oncall')),
      paragraph('rule', run('---')),
    ];
    const { markdown } = feishuBlocksToMarkdown(
      [
        ...paragraphs,
        block(
          'page',
          1,
          { page: { elements: [run('Conventions')] } },
          paragraphs.map(p => p.block_id),
        ),
      ],
      OPTIONS,
    );
    expect(markdown.trimEnd().split('\n\n').slice(1)).toEqual([
      '**Owner:** Erik',
      '*Note*: read first',
      '1\\. Drain the queue',
      '2026 budget',
      '\\- not a list',
      '-5 °C at night',
      '\\# not a heading',
      '\\#billing-oncall',
      '\\---',
    ]);
    const html = new MarkdownIt().render(markdown);
    for (const rendered of [
      '<p><strong>Owner:</strong> Erik</p>',
      '<p><em>Note</em>: read first</p>',
      '<p>1. Drain the queue</p>',
      '<p>- not a list</p>',
      '<p># not a heading</p>',
      '<p>---</p>',
    ]) {
      expect(html).toContain(rendered);
    }
  });

  it('handles comments as notes or drops them, and links or embeds images', () => {
    const blocks = [
      block('page', 1, { page: { elements: [run('Doc')] } }, ['p', 'img']),
      block('p', 2, { text: { elements: [run('Text')] } }),
      block('img', 27, { image: { token: 'tok' } }),
    ];
    const comments = [
      { commentId: 'c1', blockId: 'p', author: 'Erik', content: 'Outdated?' },
    ];
    const asNotes = feishuBlocksToMarkdown(blocks, {
      ...OPTIONS,
      commentHandling: 'convert_to_notes',
      comments,
      handleImages: 'link',
    });
    expect(asNotes.markdown).toContain(
      'Text\n\n!!! note "Comment by Erik"\n    Outdated?',
    );
    expect(asNotes.markdown).toContain(
      '![](https://quillstack.feishu.cn/space/api/box/stream/download/asynccode/?code=tok)',
    );
    const removed = feishuBlocksToMarkdown(blocks, {
      ...OPTIONS,
      commentHandling: 'remove',
      comments,
      handleImages: 'embed',
      embeddedImages: {
        tok: { mimeType: 'image/png', base64: 'iVBORw0KGgo=' },
      },
    });
    expect(removed.markdown).not.toContain('Outdated');
    expect(removed.markdown).toContain(
      '![](data:image/png;base64,iVBORw0KGgo=)',
    );
  });
});

// ---------------------------------------------------------------- properties

const BLOCK_KEYS: Record<number, string> = {
  2: 'text',
  3: 'heading1',
  4: 'heading2',
  12: 'bullet',
  13: 'ordered',
  15: 'quote',
};

type Tree = { type: number; runs: string[]; children: Tree[] };

const TEXT_TYPES = [2, 3, 4, 5, 12, 13, 15, 17];
const runText = fc.string({
  minLength: 1,
  maxLength: 20,
  unit: fc.constantFrom(...'abcXYZ 019中文_*`#[]<>&|$~-+.!()\\'.split('')),
});
const leaf: fc.Arbitrary<Tree> = fc.record({
  type: fc.constantFrom(...TEXT_TYPES),
  runs: fc.array(runText, { minLength: 1, maxLength: 4 }),
  children: fc.constant<Tree[]>([]),
});
const tree: fc.Arbitrary<Tree[]> = fc.letrec<{ node: Tree; nodes: Tree[] }>(
  tie => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record<Tree>({
        type: fc.constantFrom(12, 13),
        runs: fc.array(runText, { minLength: 1, maxLength: 3 }),
        children: tie('nodes') as fc.Arbitrary<Tree[]>,
      }),
      fc.record<Tree>({
        type: fc.constant(19),
        runs: fc.constant<string[]>([]),
        children: tie('nodes') as fc.Arbitrary<Tree[]>,
      }),
    ),
    nodes: fc.array(tie('node'), { maxLength: 4 }),
  }),
).nodes;
const styles = fc.record({
  bold: fc.boolean(),
  italic: fc.boolean(),
  strikethrough: fc.boolean(),
  inline_code: fc.boolean(),
});

function toBlocks(
  nodes: Tree[],
  runStyles: object[] = [],
): { blocks: FeishuBlock[]; runs: string[] } {
  const blocks: FeishuBlock[] = [];
  const runs: string[] = [];
  let next = 0;
  const visit = (node: Tree): string => {
    const id = `b${next++}`;
    const key = (
      {
        2: 'text',
        3: 'heading1',
        4: 'heading2',
        5: 'heading3',
        12: 'bullet',
        13: 'ordered',
        15: 'quote',
        17: 'todo',
        19: 'callout',
      } as Record<number, string>
    )[node.type];
    const elements = node.runs.map((content, i) => {
      runs.push(content);
      return run(
        content,
        runStyles[(runs.length + i) % Math.max(1, runStyles.length)] ?? {},
      );
    });
    const childIds = node.children.map(visit);
    blocks.push({
      block_id: id,
      block_type: node.type,
      [key]: node.type === 19 ? { emoji_id: 'bulb' } : { elements },
      ...(childIds.length ? { children: childIds } : {}),
    } as FeishuBlock);
    return id;
  };
  const pageChildren = nodes.map(visit);
  blocks.push({
    block_id: 'page',
    block_type: 1,
    page: { elements: [run('Title')] },
    children: pageChildren,
  });
  return { blocks, runs };
}

function listDepth(nodes: Tree[]): number {
  return Math.max(
    0,
    ...nodes.map(
      n => ([12, 13, 17].includes(n.type) ? 1 : 0) + listDepth(n.children),
    ),
  );
}

function renderedListDepth(markdown: string): number {
  let depth = 0;
  let max = 0;
  for (const token of parseMarkdown(markdown)) {
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open')
      max = Math.max(max, ++depth);
    if (
      token.type === 'bullet_list_close' ||
      token.type === 'ordered_list_close'
    )
      depth--;
  }
  return max;
}

interface StyledRun {
  content: string;
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  inline_code: boolean;
  link: string | null;
}

const INLINE_TYPES = [2, 3, 4, 12, 13, 15];
const styledRun: fc.Arbitrary<StyledRun> = fc.record({
  content: fc.oneof(
    { weight: 4, arbitrary: runText },
    fc.constantFrom(
      'Owner:',
      '1. ',
      '1.',
      '2) step',
      '# ',
      '- item',
      '+ ',
      '> ',
      '---',
      '***',
      '!!! note',
      '??? tip',
      'done!',
      ' padded ',
      'line\nbreak',
      '中文',
    ),
  ),
  bold: fc.boolean(),
  italic: fc.boolean(),
  strikethrough: fc.boolean(),
  inline_code: fc.boolean(),
  link: fc.option(
    fc.constantFrom('https://example.com/a', 'https://example.com/b_(c)'),
  ),
});
const inlineBlock = fc.record({
  type: fc.constantFrom(...INLINE_TYPES),
  runs: fc
    .array(styledRun, { minLength: 1, maxLength: 5 })
    .filter(runs => runs.some(r => r.content.trim() !== '')),
});

type RenderedChar = { char: string; styles: string };

const styleNames = (styled: StyledRun) =>
  [
    styled.bold && 'bold',
    styled.italic && 'italic',
    styled.strikethrough && 'strikethrough',
    styled.inline_code && 'code',
    styled.link && `link ${styled.link}`,
  ]
    .filter(Boolean)
    .sort()
    .join(', ');

/** What each character of an inline token renders as: the text and the styles around it. */
function renderedChars(inline: Token): RenderedChar[] {
  const chars: RenderedChar[] = [];
  const active: string[] = [];
  const push = (text: string, extra: string[] = []) => {
    const names = [...active, ...extra].sort().join(', ');
    for (const char of text) chars.push({ char, styles: names });
  };
  const STYLE_OF_TOKEN: Record<string, string> = {
    strong: 'bold',
    em: 'italic',
    s: 'strikethrough',
    del: 'strikethrough',
  };
  for (const token of inline.children ?? []) {
    const tag = /^<(\/?)(strong|em|del)>$/.exec(token.content);
    if (token.type === 'text') push(token.content);
    else if (token.type === 'code_inline') push(token.content, ['code']);
    else if (token.type === 'softbreak' || token.type === 'hardbreak')
      push('\n');
    else if (token.type === 'html_inline' && /^<br\s*\/?>$/.test(token.content))
      push('\n');
    else if (token.type === 'html_inline' && tag) {
      if (tag[1]) active.splice(active.lastIndexOf(STYLE_OF_TOKEN[tag[2]]), 1);
      else active.push(STYLE_OF_TOKEN[tag[2]]);
    } else if (token.type === 'link_open')
      active.push(`link ${decodeURIComponent(token.attrGet('href') ?? '')}`);
    else if (token.type.endsWith('_open'))
      active.push(STYLE_OF_TOKEN[token.tag] ?? token.type);
    else if (token.type.endsWith('_close')) active.pop();
    else push(`<${token.type}>`);
  }
  return chars;
}

describe('feishuBlocksToMarkdown properties', () => {
  it('property: every bold, italic, strikethrough, code and link run renders in that style, and every run as the same literal text', () => {
    fc.assert(
      fc.property(
        fc.array(inlineBlock, { minLength: 1, maxLength: 4 }),
        inlineBlocks => {
          const blocks: FeishuBlock[] = inlineBlocks.map((b, i) =>
            block(`b${i}`, b.type, {
              [BLOCK_KEYS[b.type]]: {
                elements: b.runs.map(r =>
                  run(r.content, {
                    bold: r.bold,
                    italic: r.italic,
                    strikethrough: r.strikethrough,
                    inline_code: r.inline_code,
                    ...(r.link ? { link: { url: r.link } } : {}),
                  }),
                ),
              },
            }),
          );
          blocks.push(
            block(
              'page',
              1,
              { page: { elements: [run('Title')] } },
              blocks.map(b => b.block_id),
            ),
          );
          const { markdown } = feishuBlocksToMarkdown(blocks, OPTIONS);
          const inlines = parseMarkdown(markdown).filter(
            t => t.type === 'inline',
          );
          // The first inline is the page title.
          expect(inlines).toHaveLength(inlineBlocks.length + 1);
          inlineBlocks.forEach((generated, i) => {
            const expected = generated.runs.flatMap(r =>
              [
                ...(r.inline_code ? r.content.replace(/\n/g, ' ') : r.content),
              ].map(char => ({ char, styles: styleNames(r) })),
            );
            // Spaces at the ends of a line are not rendered.
            const strippable = (c: RenderedChar) => /\s/.test(c.char);
            let start = 0;
            let end = expected.length;
            while (start < end && strippable(expected[start])) start++;
            while (end > start && strippable(expected[end - 1])) end--;
            const trimmed = expected.slice(start, end);
            const rendered = renderedChars(inlines[i + 1]);
            const where = { markdown, block: i };
            expect({
              ...where,
              text: rendered.map(c => c.char).join(''),
            }).toEqual({
              ...where,
              text: trimmed.map(c => c.char).join(''),
            });
            const visible = (chars: RenderedChar[]) =>
              chars.filter(c => c.char.trim() !== '');
            expect({ ...where, styles: visible(rendered) }).toEqual({
              ...where,
              styles: visible(trimmed),
            });
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: conversion never throws and is deterministic', () => {
    fc.assert(
      fc.property(
        tree,
        fc.array(styles, { maxLength: 4 }),
        (nodes, runStyles) => {
          const { blocks } = toBlocks(nodes, runStyles);
          const first = feishuBlocksToMarkdown(blocks, OPTIONS);
          const shuffled = feishuBlocksToMarkdown(
            [...blocks].reverse(),
            OPTIONS,
          );
          expect(shuffled).toEqual(first);
          expect(feishuBlocksToMarkdown(blocks, OPTIONS)).toEqual(first);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: every text run appears in the rendered output, in document order', () => {
    fc.assert(
      fc.property(tree, nodes => {
        const { blocks, runs } = toBlocks(nodes);
        const text = renderedText(
          feishuBlocksToMarkdown(blocks, OPTIONS).markdown,
        );
        let cursor = 0;
        for (const content of runs) {
          const wanted = content.replace(/\s+/g, ' ').trim();
          if (wanted === '') continue;
          const at = text.indexOf(wanted, cursor);
          expect({ wanted, found: at >= 0 }).toEqual({ wanted, found: true });
          cursor = at;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('property: list nesting depth is preserved', () => {
    fc.assert(
      fc.property(tree, nodes => {
        const { blocks } = toBlocks(nodes);
        expect(
          renderedListDepth(feishuBlocksToMarkdown(blocks, OPTIONS).markdown),
        ).toBe(listDepth(nodes));
      }),
      {
        numRuns: 200,
        // Found by CI: a bullet whose text is "--" rendered `- --`, a thematic break.
        examples: [[[{ type: 12, runs: ['--'], children: [] }]]] as any,
      },
    );
  });

  it('property: the output builds with mkdocs (checked on a sample of 8 documents)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feishu-mkdocs-'));
    try {
      fs.mkdirSync(path.join(dir, 'docs'));
      const samples = fc.sample(
        fc.tuple(tree, fc.array(styles, { maxLength: 4 })),
        { numRuns: 8, seed: 42 },
      );
      samples.forEach(([nodes, runStyles], i) => {
        const { blocks } = toBlocks(nodes, runStyles);
        fs.writeFileSync(
          path.join(dir, 'docs', `doc-${i}.md`),
          feishuBlocksToMarkdown(blocks, OPTIONS).markdown,
        );
      });
      fs.writeFileSync(
        path.join(dir, 'mkdocs.yml'),
        'site_name: sample\ntheme:\n  name: material\n  font: false\nmarkdown_extensions:\n  - admonition\n  - tables\n  - footnotes\n  - pymdownx.tasklist\n  - pymdownx.superfences\n  - pymdownx.tilde\n',
      );
      execFileSync('mkdocs', ['build', '--quiet'], { cwd: dir, stdio: 'pipe' });
      expect(fs.readdirSync(path.join(dir, 'site'))).toEqual(
        expect.arrayContaining(['doc-0', 'doc-7']),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
