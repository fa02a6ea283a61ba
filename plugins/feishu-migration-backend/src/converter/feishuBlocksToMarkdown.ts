import {
  BLOCK_TYPE,
  CODE_LANGUAGES,
  FeishuBlock,
  FeishuComment,
  TextBody,
  TextElement,
  TextElementStyle,
} from './feishuBlocks';

/** How to convert (formatting, images, tables, comments), plus what the caller already read from Feishu. */
export interface ConversionOptions {
  preserveFormatting: boolean;
  handleImages: 'download' | 'link' | 'embed';
  convertTables: boolean;
  commentHandling: 'preserve' | 'remove' | 'convert_to_notes';
  /** Where downloaded images go, relative to the Markdown file. Default "assets". */
  assetsPath?: string;
  /** Feishu user id → display name, for mentions. */
  userNames?: Record<string, string>;
  /** Feishu document/wiki token → relative path of the migrated page, for internal links. */
  docLinks?: Record<string, string>;
  /** Web base URL of the tenant, e.g. https://quillstack.feishu.cn, for links to what stays in Feishu. */
  feishuWebUrl?: string;
  /** For handleImages 'embed': image token → bytes already fetched. */
  embeddedImages?: Record<string, { mimeType: string; base64: string }>;
  comments?: FeishuComment[];
}

export interface ConversionResult {
  title: string;
  markdown: string;
  /** Images to download for handleImages 'download': token → path relative to the Markdown file. */
  assets: Array<{ token: string; path: string }>;
  warnings: string[];
}

interface Context {
  options: ConversionOptions;
  blocks: Map<string, FeishuBlock>;
  assets: Array<{ token: string; path: string }>;
  warnings: string[];
  commentsByBlock: Map<string, FeishuComment[]>;
  footnotes: string[];
  webUrl: string;
}

const MARKDOWN_SPECIAL = /[\\`*_[\]<>&|$~#]/g;

/** Text as Markdown that renders it literally. A closing `!` is escaped: a link may follow (`![` is an image). */
function escapeText(text: string): string {
  return text
    .replace(MARKDOWN_SPECIAL, ch => {
      if (ch === '<') return '&lt;';
      if (ch === '>') return '&gt;';
      if (ch === '&') return '&amp;';
      return `\\${ch}`;
    })
    .replace(/!$/, '\\!');
}

/**
 * Leading spaces go (four would make a code block), and a line that would start a block is escaped so it
 * stays text: a heading, list or quote marker followed by a space or the end of the line, a thematic break
 * (or two of its characters, which a list marker would make three),
 * or an admonition. Bold or italic text at the start (`**Owner:**`) starts no block and is left alone.
 */
function escapeLineStart(line: string): string {
  const text = line.replace(/^\s+/, '');
  if (/^\d{1,9}[.)](?:[ \t]|$)/.test(text)) {
    return text.replace(/^(\d+)([.)])/, '$1\\$2');
  }
  if (
    /^(?:#{1,6}|[-+*])(?:[ \t]|$)/.test(text) ||
    /^>/.test(text) ||
    // Two are enough: after a list marker (`- --`) they make three, a thematic break.
    /^([-*_=])(?:[ \t]*\1){1,}[ \t]*$/.test(text) ||
    /^!!!/.test(text)
  ) {
    return `\\${text}`;
  }
  // `?` has no backslash escape in Python-Markdown; an entity keeps `??? note` from opening a details block.
  return text.replace(/^\?\?\?/, '&#63;??');
}

/**
 * Renderers disagree on spaces at the ends of a code span (CommonMark strips one, Python-Markdown all), so
 * they go outside it; line breaks become spaces, as CommonMark would render them.
 */
function codeSpan(content: string): string {
  const [, leading, text, trailing] = /^(\s*)(.*?)(\s*)$/s.exec(
    content.replace(/\r?\n/g, ' '),
  )!;
  if (text === '') {
    return leading;
  }
  const longest = Math.max(
    0,
    ...(text.match(/`+/g) ?? []).map(run => run.length),
  );
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${leading}${fence}${pad}${text}${pad}${fence}${trailing}`;
}

function linkTarget(url: string): string {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // keep as is
  }
  return decoded
    .replace(/ /g, '%20')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29');
}

/** One inline element as Markdown without its emphasis, and the emphasis to put around it. */
interface InlinePiece {
  markdown: string;
  style?: TextElementStyle;
}

function emphasisOf(style: TextElementStyle | undefined, ctx: Context) {
  if (!ctx.options.preserveFormatting || !style) {
    return [];
  }
  // Outermost first.
  return (
    [
      ['bold', '**', 'strong'],
      ['italic', '*', 'em'],
      ['strikethrough', '~~', 'del'],
      ['underline', undefined, 'u'],
    ] as const
  ).filter(([key]) => style[key]);
}

function elementPiece(element: TextElement, ctx: Context): InlinePiece {
  if (element.text_run) {
    const { content, text_element_style: style } = element.text_run;
    const core = style?.inline_code
      ? codeSpan(content)
      : escapeText(content).replace(/\n/g, '<br>');
    if (!style?.link?.url) {
      return { markdown: core, style };
    }
    // Spaces around a link's text stay outside it, as they do around emphasis.
    const [, leading, text, trailing] = /^(\s*)(.*?)(\s*)$/s.exec(core)!;
    return {
      markdown: text
        ? `${leading}[${text}](${rewriteLink(style.link.url, ctx)})${trailing}`
        : core,
      style,
    };
  }
  if (element.mention_user) {
    const name =
      ctx.options.userNames?.[element.mention_user.user_id] ??
      element.mention_user.user_id;
    return {
      markdown: `@${escapeText(name)}`,
      style: element.mention_user.text_element_style,
    };
  }
  if (element.mention_doc) {
    const { token, title, url } = element.mention_doc;
    const target =
      ctx.options.docLinks?.[token] ??
      (url ? linkTarget(url) : `${ctx.webUrl}/wiki/${token}`);
    return {
      markdown: `[${escapeText(title ?? token)}](${target})`,
      style: element.mention_doc.text_element_style,
    };
  }
  if (element.equation) {
    return { markdown: `$${element.equation.content.trim()}$` };
  }
  ctx.warnings.push(
    `unsupported inline element ${
      Object.keys(element).join(', ') || '(empty)'
    }`,
  );
  return { markdown: '' };
}

const sameEmphasis = (a?: TextElementStyle, b?: TextElementStyle) =>
  !!a?.bold === !!b?.bold &&
  !!a?.italic === !!b?.italic &&
  !!a?.strikethrough === !!b?.strikethrough &&
  !!a?.underline === !!b?.underline;

const isWhitespace = (ch: string) => ch === '' || /\s/u.test(ch);
const isPunctuation = (ch: string) => /[\p{P}\p{S}]/u.test(ch);

/**
 * CommonMark reads a delimiter run as opening only if it is left-flanking and as closing only if it is
 * right-flanking. A run that could do both (`a**b`) or neither (`:**a`) is where bold text turns into
 * literal asterisks, so markers are used only where the opening run can only open and the closing run can
 * only close; elsewhere the same emphasis is written as HTML tags.
 */
function markersAreUnambiguous(
  before: string,
  opening: string,
  content: string,
  closing: string,
  after: string,
): boolean {
  const leftFlanking = (prev: string, next: string) =>
    !isWhitespace(next) &&
    (!isPunctuation(next) || isWhitespace(prev) || isPunctuation(prev));
  const rightFlanking = (prev: string, next: string) =>
    !isWhitespace(prev) &&
    (!isPunctuation(prev) || isWhitespace(next) || isPunctuation(next));
  const first = content.charAt(0);
  const last = content.charAt(content.length - 1);
  return (
    before !== opening.charAt(0) &&
    after !== closing.charAt(closing.length - 1) &&
    leftFlanking(before, first) &&
    !rightFlanking(before, first) &&
    rightFlanking(last, after) &&
    !leftFlanking(last, after)
  );
}

/** Wraps a piece in its emphasis, keeping surrounding spaces outside (`** x**` is not bold in Markdown). */
function emphasize(
  piece: InlinePiece,
  before: string,
  after: string,
  ctx: Context,
): string {
  const emphasis = emphasisOf(piece.style, ctx);
  const match = /^(\s*)(.*?)(\s*)$/s.exec(piece.markdown)!;
  const [, leading, content, trailing] = match;
  if (emphasis.length === 0 || content === '') {
    return piece.markdown;
  }
  const markers = emphasis.filter(([, marker]) => marker !== undefined);
  const openMarkers = markers.map(([, marker]) => marker).join('');
  const closeMarkers = [...openMarkers].reverse().join('');
  const asMarkdown =
    markers.length > 0 &&
    markersAreUnambiguous(
      leading ? ' ' : before,
      openMarkers,
      content,
      closeMarkers,
      trailing ? ' ' : after,
    );
  const open = emphasis
    .map(([, marker, tag]) =>
      asMarkdown && marker !== undefined ? marker : `<${tag}>`,
    )
    .join('');
  const close = [...emphasis]
    .reverse()
    .map(([, marker, tag]) =>
      asMarkdown && marker !== undefined ? marker : `</${tag}>`,
    )
    .join('');
  return `${leading}${open}${content}${close}${trailing}`;
}

/** Internal links to migrated documents become relative links; the rest stay absolute. */
function rewriteLink(url: string, ctx: Context): string {
  const decoded = linkTarget(url);
  const token = /\/(?:wiki|docx|docs)\/([A-Za-z0-9]+)/.exec(decoded)?.[1];
  return (token && ctx.options.docLinks?.[token]) || decoded;
}

const styleKey = (style: TextElementStyle | undefined) =>
  JSON.stringify([
    !!style?.bold,
    !!style?.italic,
    !!style?.strikethrough,
    !!style?.underline,
    !!style?.inline_code,
    style?.link?.url ?? null,
  ]);

/** Feishu splits text into runs where nothing visible changes; two code spans side by side would read as one. */
function mergeAlikeTextRuns(elements: TextElement[]): TextElement[] {
  const merged: TextElement[] = [];
  for (const element of elements) {
    const previous = merged[merged.length - 1]?.text_run;
    if (
      previous &&
      element.text_run &&
      styleKey(previous.text_element_style) ===
        styleKey(element.text_run.text_element_style)
    ) {
      merged[merged.length - 1] = {
        text_run: {
          ...previous,
          content: previous.content + element.text_run.content,
        },
      };
    } else {
      merged.push(element);
    }
  }
  return merged;
}

/** The first character a piece will be written with, assuming Markdown markers where it has emphasis. */
function firstCharacterOf(piece: InlinePiece, ctx: Context): string {
  const first = piece.markdown.charAt(0);
  const emphasis = emphasisOf(piece.style, ctx);
  if (emphasis.length === 0 || isWhitespace(first)) {
    return first;
  }
  return emphasis[0][1]?.charAt(0) ?? '<';
}

function inlineText(body: TextBody | undefined, ctx: Context): string {
  // Neighbouring runs with the same emphasis are one run: `**a****b**` would not be bold in CommonMark.
  const pieces: InlinePiece[] = [];
  for (const element of mergeAlikeTextRuns(body?.elements ?? [])) {
    const piece = elementPiece(element, ctx);
    const previous = pieces[pieces.length - 1];
    if (
      previous &&
      sameEmphasis(previous.style, piece.style) &&
      emphasisOf(piece.style, ctx).length > 0
    ) {
      previous.markdown += piece.markdown;
    } else {
      pieces.push(piece);
    }
  }
  let markdown = '';
  pieces.forEach((piece, index) => {
    markdown += emphasize(
      piece,
      markdown.charAt(markdown.length - 1),
      pieces[index + 1] ? firstCharacterOf(pieces[index + 1], ctx) : '',
      ctx,
    );
  });
  return markdown;
}

function bodyOf(block: FeishuBlock): TextBody | undefined {
  const key = Object.keys(block).find(
    k =>
      k !== 'children' &&
      typeof (block as any)[k] === 'object' &&
      Array.isArray((block as any)[k]?.elements),
  );
  return key ? ((block as any)[key] as TextBody) : undefined;
}

function childrenOf(block: FeishuBlock, ctx: Context): FeishuBlock[] {
  return (block.children ?? []).flatMap(id => {
    const child = ctx.blocks.get(id);
    if (!child) {
      ctx.warnings.push(`block ${block.block_id} lists a missing child ${id}`);
      return [];
    }
    return [child];
  });
}

function indent(markdown: string, prefix = '    '): string {
  return markdown
    .split('\n')
    .map(line => (line === '' ? '' : prefix + line))
    .join('\n');
}

function commentMarks(
  block: FeishuBlock,
  ctx: Context,
): { inline: string; after: string } {
  const comments = ctx.commentsByBlock.get(block.block_id) ?? [];
  if (comments.length === 0 || ctx.options.commentHandling === 'remove') {
    return { inline: '', after: '' };
  }
  if (ctx.options.commentHandling === 'preserve') {
    const refs = comments.map(comment => {
      ctx.footnotes.push(
        `[^${comment.commentId}]: ${escapeText(comment.author)}: ${escapeText(
          comment.content,
        )}`,
      );
      return `[^${comment.commentId}]`;
    });
    return { inline: refs.join(''), after: '' };
  }
  const notes = comments.map(
    comment =>
      `!!! note "Comment by ${comment.author.replace(/"/g, "'")}"\n${indent(
        escapeText(comment.content),
      )}`,
  );
  return { inline: '', after: `\n\n${notes.join('\n\n')}` };
}

function imageMarkdown(block: FeishuBlock, ctx: Context): string {
  const token = block.image?.token ?? '';
  if (ctx.options.handleImages === 'download') {
    const path = `${ctx.options.assetsPath ?? 'assets'}/${token}.png`;
    ctx.assets.push({ token, path });
    return `![](${path})`;
  }
  if (ctx.options.handleImages === 'embed') {
    const image = ctx.options.embeddedImages?.[token];
    if (image) {
      return `![](data:${image.mimeType};base64,${image.base64})`;
    }
    ctx.warnings.push(
      `image ${token} was not fetched for embedding; linked instead`,
    );
  }
  return `![](${ctx.webUrl}/space/api/box/stream/download/asynccode/?code=${token})`;
}

function tableMarkdown(block: FeishuBlock, ctx: Context): string {
  const table = block.table!;
  const { row_size: rows, column_size: columns } = table.property;
  const cellText = (id: string | undefined) => {
    const cell = id ? ctx.blocks.get(id) : undefined;
    if (!cell) return '';
    return childrenOf(cell, ctx)
      .map(child => renderBlock(child, ctx, 0).trim())
      .filter(Boolean)
      .join('<br>')
      .replace(/\n/g, ' ');
  };
  const merges = table.property.merge_info ?? [];
  const merged = merges.some(
    m => (m?.row_span ?? 1) > 1 || (m?.col_span ?? 1) > 1,
  );
  if (ctx.options.convertTables && !merged) {
    const row = (r: number) =>
      `| ${Array.from(
        { length: columns },
        (_, c) =>
          cellText(table.cells[r * columns + c]).replace(/\|/g, '\\|') || ' ',
      ).join(' | ')} |`;
    const lines = [row(0), `|${' --- |'.repeat(columns)}`];
    for (let r = 1; r < rows; r++) lines.push(row(r));
    return lines.join('\n');
  }
  // Merged cells (or convertTables: false) need HTML; cells covered by a span are skipped.
  const covered = new Set<number>();
  const html = ['<table>'];
  for (let r = 0; r < rows; r++) {
    html.push('  <tr>');
    for (let c = 0; c < columns; c++) {
      const index = r * columns + c;
      if (covered.has(index)) continue;
      const span = merges[index] ?? { row_span: 1, col_span: 1 };
      for (let dr = 0; dr < (span.row_span ?? 1); dr++) {
        for (let dc = 0; dc < (span.col_span ?? 1); dc++) {
          if (dr || dc) covered.add((r + dr) * columns + c + dc);
        }
      }
      const tag = r === 0 ? 'th' : 'td';
      const attrs = `${span.row_span > 1 ? ` rowspan="${span.row_span}"` : ''}${
        span.col_span > 1 ? ` colspan="${span.col_span}"` : ''
      }`;
      html.push(`    <${tag}${attrs}>${cellText(table.cells[index])}</${tag}>`);
    }
    html.push('  </tr>');
  }
  html.push('</table>');
  return html.join('\n');
}

const CALLOUT_TYPES: Record<string, string> = {
  warning: 'warning',
  exclamation: 'warning',
  x: 'danger',
  bulb: 'tip',
  white_check_mark: 'success',
  information_source: 'info',
};

function listItems(blocks: FeishuBlock[], ctx: Context, depth: number): string {
  let number = 0;
  return blocks
    .map(block => {
      const marks = commentMarks(block, ctx);
      const text = inlineText(bodyOf(block), ctx) + marks.inline;
      let marker: string;
      if (block.block_type === BLOCK_TYPE.ordered) {
        const sequence = block.ordered?.style?.sequence;
        number =
          sequence && /^\d+$/.test(sequence) ? Number(sequence) : number + 1;
        marker = `${number}.`;
      } else if (block.block_type === BLOCK_TYPE.todo) {
        marker = block.todo?.style?.done ? '- [x]' : '- [ ]';
      } else {
        marker = '-';
      }
      const nested = childrenOf(block, ctx);
      const body =
        nested.length > 0
          ? `\n\n${indent(renderBlocks(nested, ctx, depth + 1))}`
          : '';
      // An item whose text is blank would end the list before its nested content; &nbsp; keeps it open.
      const itemText = text.trim() === '' ? '&nbsp;' : escapeLineStart(text);
      return `${marker} ${itemText}${body}${
        marks.after ? indent(marks.after) : ''
      }`;
    })
    .join('\n');
}

const LIST_TYPES = new Set<number>([
  BLOCK_TYPE.bullet,
  BLOCK_TYPE.ordered,
  BLOCK_TYPE.todo,
]);

/** Consecutive list items of one kind form one list; everything else is its own block. */
function renderBlocks(
  blocks: FeishuBlock[],
  ctx: Context,
  depth: number,
): string {
  const parts: string[] = [];
  for (let i = 0; i < blocks.length; ) {
    const block = blocks[i];
    if (LIST_TYPES.has(block.block_type)) {
      const kind = block.block_type;
      const run: FeishuBlock[] = [];
      while (i < blocks.length && blocks[i].block_type === kind)
        run.push(blocks[i++]);
      parts.push(listItems(run, ctx, depth));
    } else {
      parts.push(renderBlock(block, ctx, depth));
      i++;
    }
  }
  return parts.filter(part => part !== '').join('\n\n');
}

function renderBlock(block: FeishuBlock, ctx: Context, depth: number): string {
  const type = block.block_type;
  const marks = commentMarks(block, ctx);
  const text = () => inlineText(bodyOf(block), ctx) + marks.inline;
  const withChildren = (own: string) => {
    const nested = childrenOf(block, ctx);
    return (
      [own, nested.length > 0 ? renderBlocks(nested, ctx, depth) : '']
        .filter(Boolean)
        .join('\n\n') + marks.after
    );
  };

  if (type >= BLOCK_TYPE.heading1 && type <= BLOCK_TYPE.heading9) {
    const level = Math.min(6, type - BLOCK_TYPE.heading1 + 1);
    return withChildren(`${'#'.repeat(level)} ${text()}`);
  }
  switch (type) {
    case BLOCK_TYPE.text: {
      const elements = block.text?.elements ?? [];
      if (elements.length === 1 && elements[0].equation) {
        return `$$\n${elements[0].equation.content.trim()}\n$$${marks.after}`;
      }
      return withChildren(escapeLineStart(text()));
    }
    case BLOCK_TYPE.bullet:
    case BLOCK_TYPE.ordered:
    case BLOCK_TYPE.todo:
      return listItems([block], ctx, depth);
    case BLOCK_TYPE.code: {
      const code = (block.code?.elements ?? [])
        .map(e => e.text_run?.content ?? '')
        .join('');
      const longest = Math.max(
        2,
        ...(code.match(/`+/g) ?? []).map(run => run.length),
      );
      const fence = '`'.repeat(longest + 1);
      const language = CODE_LANGUAGES[block.code?.style?.language ?? 1] ?? '';
      return `${fence}${language}\n${code.replace(/\n$/, '')}\n${fence}${
        marks.after
      }`;
    }
    case BLOCK_TYPE.quote:
      return `> ${escapeLineStart(text())}${marks.after}`;
    case BLOCK_TYPE.quoteContainer:
      return renderBlocks(childrenOf(block, ctx), ctx, depth)
        .split('\n')
        .map(line => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    case BLOCK_TYPE.callout: {
      const kind = CALLOUT_TYPES[block.callout?.emoji_id ?? ''] ?? 'note';
      const inner = renderBlocks(childrenOf(block, ctx), ctx, depth);
      return `!!! ${kind}\n${indent(inner || ' ')}`;
    }
    case BLOCK_TYPE.divider:
      return '---';
    case BLOCK_TYPE.image:
      return imageMarkdown(block, ctx);
    case BLOCK_TYPE.table:
      return tableMarkdown(block, ctx);
    case BLOCK_TYPE.grid:
    case BLOCK_TYPE.gridColumn:
      // Columns are read left to right, each top to bottom.
      return renderBlocks(childrenOf(block, ctx), ctx, depth);
    case BLOCK_TYPE.file: {
      const { token, name } = block.file ?? { token: '', name: 'file' };
      return `[📎 ${escapeText(name)}](${
        ctx.webUrl
      }/file/${token}) *(attachment kept in Feishu)*`;
    }
    case BLOCK_TYPE.sheet:
      return `!!! info "Spreadsheet"\n    This page embedded a Feishu spreadsheet: [open it in Feishu](${ctx.webUrl}/sheets/${block.sheet?.token}).`;
    case BLOCK_TYPE.bitable:
      return `!!! info "Base"\n    This page embedded a Feishu Base table: [open it in Feishu](${ctx.webUrl}/base/${block.bitable?.token}).`;
    case BLOCK_TYPE.tableCell:
      return renderBlocks(childrenOf(block, ctx), ctx, depth);
    default:
      ctx.warnings.push(
        `unsupported block type ${type} (${block.block_id}) kept as a comment`,
      );
      return `<!-- feishu block ${block.block_id} of type ${type} was not converted -->`;
  }
}

/**
 * Converts a Feishu docx document, as the flat block list the API returns, to Markdown for MkDocs.
 * Pure and deterministic: everything it needs from Feishu is in its arguments.
 */
export function feishuBlocksToMarkdown(
  blocks: FeishuBlock[],
  options: ConversionOptions,
): ConversionResult {
  const byId = new Map(blocks.map(block => [block.block_id, block]));
  const page =
    blocks.find(block => block.block_type === BLOCK_TYPE.page) ?? blocks[0];
  const commentsByBlock = new Map<string, FeishuComment[]>();
  for (const comment of options.comments ?? []) {
    const anchor =
      comment.blockId && byId.has(comment.blockId)
        ? comment.blockId
        : page?.block_id;
    if (anchor)
      commentsByBlock.set(anchor, [
        ...(commentsByBlock.get(anchor) ?? []),
        comment,
      ]);
  }
  const ctx: Context = {
    options,
    blocks: byId,
    assets: [],
    warnings: [],
    commentsByBlock,
    footnotes: [],
    webUrl: (options.feishuWebUrl ?? 'https://feishu.cn').replace(/\/+$/, ''),
  };
  if (!page) {
    return {
      title: '',
      markdown: '',
      assets: [],
      warnings: ['the document has no blocks'],
    };
  }
  const title =
    (page.page?.elements ?? [])
      .map(e => e.text_run?.content ?? '')
      .join('')
      .trim() || 'Untitled';
  const pageMarks = commentMarks(page, ctx);
  const body = renderBlocks(childrenOf(page, ctx), ctx, 0);
  const sections = [
    `# ${escapeText(title)}${pageMarks.inline}`,
    body,
    pageMarks.after.trim(),
    ctx.footnotes.join('\n'),
  ];
  return {
    title,
    markdown: `${sections.filter(Boolean).join('\n\n')}\n`,
    assets: ctx.assets,
    warnings: ctx.warnings,
  };
}
