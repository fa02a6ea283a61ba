/* eslint-disable no-console */
// Converter throughput on one core over a large synthetic corpus. Target: at least 50,000 blocks per second.
// Run: yarn workspace @internal/plugin-feishu-migration-backend bench
import { FeishuBlock, TextElement } from '../src/converter/feishuBlocks';
import { feishuBlocksToMarkdown } from '../src/converter/feishuBlocksToMarkdown';

const DOCUMENTS = 400;

function syntheticDocument(seed: number): FeishuBlock[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const words = [
    'invoice',
    'ledger',
    '发票',
    '账本',
    'retry',
    'queue',
    'deploy',
    '回滚',
    'p95',
    'timeout',
  ];
  const sentence = (n: number) =>
    Array.from(
      { length: n },
      () => words[Math.floor(random() * words.length)],
    ).join(' ');
  const runs = (): TextElement[] => [
    { text_run: { content: `${sentence(6)} ` } },
    { text_run: { content: sentence(2), text_element_style: { bold: true } } },
    {
      text_run: {
        content: ` ${sentence(5)}`,
        text_element_style: { link: { url: 'https%3A%2F%2Fexample.com' } },
      },
    },
  ];
  const blocks: FeishuBlock[] = [];
  const children: string[] = [];
  let id = 0;
  const add = (block: Omit<FeishuBlock, 'block_id'>, parent?: string[]) => {
    const blockId = `d${seed}b${id++}`;
    blocks.push({ ...block, block_id: blockId } as FeishuBlock);
    (parent ?? children).push(blockId);
    return blockId;
  };
  for (let section = 0; section < 10; section++) {
    add({
      block_type: 4,
      heading2: { elements: [{ text_run: { content: sentence(3) } }] },
    });
    for (let p = 0; p < 6; p++)
      add({ block_type: 2, text: { elements: runs() } });
    for (let item = 0; item < 5; item++) {
      const nested: string[] = [];
      add({ block_type: 12, bullet: { elements: runs() }, children: nested });
      add({ block_type: 12, bullet: { elements: runs() } }, nested);
    }
    add({
      block_type: 14,
      code: {
        elements: [{ text_run: { content: 'kubectl get pods\n' } }],
        style: { language: 7 },
      },
    });
    const cells: string[] = [];
    for (let cell = 0; cell < 6; cell++) {
      const cellChildren: string[] = [];
      const cellId = `d${seed}b${id++}`;
      blocks.push({
        block_id: cellId,
        block_type: 32,
        children: cellChildren,
      } as FeishuBlock);
      add(
        {
          block_type: 2,
          text: { elements: [{ text_run: { content: sentence(2) } }] },
        },
        cellChildren,
      );
      cells.push(cellId);
    }
    add({
      block_type: 31,
      table: { cells, property: { row_size: 3, column_size: 2 } },
    });
  }
  blocks.push({
    block_id: `d${seed}page`,
    block_type: 1,
    page: { elements: [{ text_run: { content: `Doc ${seed}` } }] },
    children,
  });
  return blocks;
}

const corpus = Array.from({ length: DOCUMENTS }, (_, i) =>
  syntheticDocument(i + 1),
);
const totalBlocks = corpus.reduce((sum, doc) => sum + doc.length, 0);
const options = {
  preserveFormatting: true,
  handleImages: 'download',
  convertTables: true,
  commentHandling: 'preserve',
} as const;

for (const doc of corpus.slice(0, 20)) feishuBlocksToMarkdown(doc, options); // warm up
const started = process.hrtime.bigint();
let bytes = 0;
for (const doc of corpus)
  bytes += feishuBlocksToMarkdown(doc, options).markdown.length;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  `converter: ${DOCUMENTS} documents, ${totalBlocks} blocks, ${(
    bytes /
    1024 /
    1024
  ).toFixed(1)} MB of Markdown`,
);
console.log(
  `converter: ${seconds.toFixed(2)} s = ${Math.round(
    totalBlocks / seconds,
  ).toLocaleString('en-US')} blocks/s on one core (target 50,000)`,
);
