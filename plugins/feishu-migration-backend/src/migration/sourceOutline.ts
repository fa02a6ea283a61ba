import { SourceOutlineItem } from '@internal/plugin-feishu-migration-common';
import { BLOCK_TYPE, FeishuBlock } from '../converter/feishuBlocks';

const KIND_BY_TYPE = new Map<number, string>(
  Object.entries(BLOCK_TYPE).map(([kind, type]) => [type, kind]),
);

function kindOf(type: number): string {
  if (type > BLOCK_TYPE.heading1 && type <= BLOCK_TYPE.heading9) {
    return `heading${type - BLOCK_TYPE.heading1 + 1}`;
  }
  return KIND_BY_TYPE.get(type) ?? `block ${type}`;
}

/** The document's block tree as an indented outline (kind and the first words), for the preview. */
export function sourceOutline(blocks: FeishuBlock[]): SourceOutlineItem[] {
  const byId = new Map(blocks.map(block => [block.block_id, block]));
  const page = blocks.find(block => block.block_type === BLOCK_TYPE.page);
  const items: SourceOutlineItem[] = [];
  const seen = new Set<string>();
  const visit = (block: FeishuBlock, depth: number) => {
    if (seen.has(block.block_id)) return;
    seen.add(block.block_id);
    const text = Object.values(block)
      .flatMap(value => (value as any)?.elements ?? [])
      .map((element: any) => element?.text_run?.content ?? '')
      .join('')
      .trim();
    items.push({
      depth,
      kind: kindOf(block.block_type),
      text: text.length > 120 ? `${text.slice(0, 119)}…` : text,
    });
    for (const id of block.children ?? []) {
      const child = byId.get(id);
      if (child) visit(child, depth + 1);
    }
  };
  if (page) visit(page, 0);
  return items;
}
