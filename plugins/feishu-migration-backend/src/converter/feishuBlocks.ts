/** The subset of Feishu/Lark docx blocks (docx/v1 document blocks API) the converter understands. */

export const BLOCK_TYPE = {
  page: 1,
  text: 2,
  heading1: 3,
  heading9: 11,
  bullet: 12,
  ordered: 13,
  code: 14,
  quote: 15,
  todo: 17,
  bitable: 18,
  callout: 19,
  divider: 22,
  file: 23,
  grid: 24,
  gridColumn: 25,
  image: 27,
  sheet: 30,
  table: 31,
  tableCell: 32,
  quoteContainer: 34,
} as const;

export interface TextElementStyle {
  bold?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  underline?: boolean;
  inline_code?: boolean;
  link?: { url: string };
}

export interface TextElement {
  text_run?: { content: string; text_element_style?: TextElementStyle };
  mention_user?: { user_id: string; text_element_style?: TextElementStyle };
  mention_doc?: {
    token: string;
    obj_type?: number;
    url?: string;
    title?: string;
    text_element_style?: TextElementStyle;
  };
  equation?: { content: string; text_element_style?: TextElementStyle };
}

export interface TextBody {
  elements: TextElement[];
  style?: {
    /** Ordered lists: "1", "5" or "auto" (one more than the previous item). */
    sequence?: string;
    /** To-dos. */
    done?: boolean;
    /** Code blocks: Feishu's language enum. */
    language?: number;
  };
}

export interface FeishuBlock {
  block_id: string;
  parent_id?: string;
  children?: string[];
  block_type: number;
  page?: TextBody;
  text?: TextBody;
  bullet?: TextBody;
  ordered?: TextBody;
  code?: TextBody;
  quote?: TextBody;
  todo?: TextBody;
  callout?: { emoji_id?: string; background_color?: number };
  image?: { token: string; width?: number; height?: number };
  table?: {
    cells: string[];
    property: {
      row_size: number;
      column_size: number;
      merge_info?: Array<{ row_span: number; col_span: number }>;
      header_row?: boolean;
    };
  };
  file?: { token: string; name: string };
  sheet?: { token: string };
  bitable?: { token: string; view_type?: number };
  grid?: { column_size: number };
  grid_column?: { width_ratio?: number };
  [headingKey: `heading${number}`]: TextBody | undefined;
}

/** A comment from the drive comments API, anchored to the block whose text it quotes. */
export interface FeishuComment {
  commentId: string;
  blockId?: string;
  quote?: string;
  author: string;
  content: string;
}

/** Feishu's code language enum, as far as MkDocs' highlighter knows the languages. */
export const CODE_LANGUAGES: Record<number, string> = {
  1: '',
  7: 'bash',
  8: 'csharp',
  9: 'cpp',
  10: 'c',
  12: 'css',
  15: 'dart',
  18: 'dockerfile',
  19: 'erlang',
  22: 'go',
  23: 'groovy',
  24: 'html',
  26: 'http',
  27: 'haskell',
  28: 'json',
  29: 'java',
  30: 'javascript',
  32: 'kotlin',
  33: 'latex',
  36: 'lua',
  38: 'makefile',
  39: 'markdown',
  40: 'nginx',
  41: 'objectivec',
  43: 'php',
  44: 'perl',
  46: 'powershell',
  48: 'protobuf',
  49: 'python',
  50: 'r',
  52: 'ruby',
  53: 'rust',
  55: 'scss',
  56: 'sql',
  57: 'scala',
  60: 'shell',
  61: 'swift',
  63: 'typescript',
  66: 'xml',
  67: 'yaml',
  68: 'cmake',
  69: 'diff',
  71: 'graphql',
  73: 'properties',
  75: 'toml',
};

/** Feishu user ids mentioned anywhere in a document's text. */
export function mentionedUserIds(blocks: FeishuBlock[]): Set<string> {
  const ids = new Set<string>();
  for (const block of blocks) {
    for (const value of Object.values(block)) {
      for (const element of (value as TextBody | undefined)?.elements ?? []) {
        if (element?.mention_user?.user_id)
          ids.add(element.mention_user.user_id);
      }
    }
  }
  return ids;
}
