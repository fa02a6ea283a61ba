/**
 * Feishu / Lark → TechDocs migration backend.
 *
 * @packageDocumentation
 */
export { feishuMigrationPlugin as default } from './plugin';
export { feishuBlocksToMarkdown } from './converter/feishuBlocksToMarkdown';
export type {
  ConversionOptions,
  ConversionResult,
} from './converter/feishuBlocksToMarkdown';
export type { FeishuBlock, FeishuComment } from './converter/feishuBlocks';
