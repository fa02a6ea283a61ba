import { FeishuClient } from '../clients/FeishuClient';
import {
  BLOCK_TYPE,
  FeishuBlock,
  FeishuComment,
  mentionedUserIds,
} from '../converter/feishuBlocks';
import { ConversionOptions } from '../converter/feishuBlocksToMarkdown';

export interface DocumentSource {
  blocks: FeishuBlock[];
  comments: FeishuComment[];
  /** Names of everyone mentioned or commenting. */
  userNames: Record<string, string>;
  /** Image bytes, when asked for (embedding). */
  embeddedImages: NonNullable<ConversionOptions['embeddedImages']>;
}

/**
 * Everything the converter needs of one docx document, as both the dry-run preview and a migration read it:
 * blocks, comments (unless they are removed), user names, and the images when they are embedded.
 */
export async function readDocumentSource(
  feishu: FeishuClient,
  documentId: string,
  options: {
    commentHandling: ConversionOptions['commentHandling'];
    embedImages: boolean;
    /** Shared across the pages of one migration, so each user is looked up once. */
    userNameCache?: Map<string, Promise<string>>;
  },
): Promise<DocumentSource> {
  const [blocks, comments] = await Promise.all([
    feishu.listDocumentBlocks(documentId),
    options.commentHandling === 'remove'
      ? Promise.resolve([])
      : feishu.listComments(documentId),
  ]);
  const userNames = await feishu.userNames(
    [...mentionedUserIds(blocks), ...comments.map(c => c.author)],
    options.userNameCache,
  );
  const embeddedImages: DocumentSource['embeddedImages'] = {};
  if (options.embedImages) {
    for (const block of blocks) {
      const token = block.image?.token;
      if (
        block.block_type === BLOCK_TYPE.image &&
        token &&
        !embeddedImages[token]
      ) {
        embeddedImages[token] = {
          mimeType: 'image/png',
          base64: (await feishu.downloadMedia(token)).toString('base64'),
        };
      }
    }
  }
  return { blocks, comments, userNames, embeddedImages };
}
