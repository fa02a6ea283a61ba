import path from 'node:path';
import { DocumentValidationReport } from '@internal/plugin-feishu-migration-common';
import { BLOCK_TYPE, FeishuBlock, TextBody } from '../converter/feishuBlocks';
import { parseMarkdown, renderedText } from './renderedMarkdown';

export interface DocumentValidationInput {
  blocks: FeishuBlock[];
  markdown: string;
  /** Repository path of the page, e.g. docs/deploying/index.md. */
  path: string;
  /** Every repository path the migration writes (pages and assets). */
  outputPaths: ReadonlySet<string>;
  /** Node and document tokens of the migrated pages: links to them must have become relative links. */
  migratedTokens: ReadonlySet<string>;
}

/** Share of the source's characters (text runs) found in the rendered page is `textShare`, 0–1. */
export type DocumentValidation = DocumentValidationReport;

/** Below this share of the source text, a page is reported as losing content. */
export const MIN_TEXT_SHARE = 0.98;

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function bodies(block: FeishuBlock): TextBody[] {
  return Object.values(block).filter(
    (value): value is TextBody =>
      typeof value === 'object' &&
      value !== null &&
      Array.isArray((value as TextBody).elements),
  );
}

function runsOf(block: FeishuBlock): string[] {
  return bodies(block).flatMap(body =>
    body.elements
      .map(element => collapse(element.text_run?.content ?? ''))
      .filter(Boolean),
  );
}

function isHeading(block: FeishuBlock) {
  return (
    block.block_type === BLOCK_TYPE.page ||
    (block.block_type >= BLOCK_TYPE.heading1 &&
      block.block_type <= BLOCK_TYPE.heading9)
  );
}

function isExternal(href: string) {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');
}

/**
 * Checks one migrated page against its source: headings kept (by text), the share of source text present,
 * images resolved, relative links pointing at migrated files and no link left pointing at a migrated
 * Feishu page, and as many tables as the source had. Pure: the caller runs `mkdocs build` on the whole.
 */
export function validateDocument(
  input: DocumentValidationInput,
): DocumentValidation {
  const problems: string[] = [];
  const tokens = parseMarkdown(input.markdown);
  const dir = path.posix.dirname(input.path);

  const outputHeadings = new Set<string>();
  const images: string[] = [];
  const links: string[] = [];
  let tables = 0;
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      const inline = tokens[i + 1];
      outputHeadings.add(
        collapse(
          (inline.children ?? [])
            .filter(c => c.type === 'text' || c.type === 'code_inline')
            .map(c => c.content)
            .join(''),
        ),
      );
    }
    if (token.type === 'table_open') tables++;
    if (
      (token.type === 'html_block' || token.type === 'html_inline') &&
      /<table[\s>]/i.test(token.content)
    ) {
      tables += (token.content.match(/<table[\s>]/gi) ?? []).length;
    }
    for (const child of token.children ?? []) {
      if (child.type === 'image') images.push(child.attrGet('src') ?? '');
      if (child.type === 'link_open') links.push(child.attrGet('href') ?? '');
    }
  });

  const sourceHeadings = input.blocks
    .filter(isHeading)
    .map(block => collapse(runsOf(block).join('')))
    .filter(Boolean);
  // Contains, not equals: a commented heading carries its footnote mark.
  const kept = sourceHeadings.filter(text =>
    [...outputHeadings].some(heading => heading.includes(text)),
  ).length;
  if (kept < sourceHeadings.length) {
    problems.push(
      `${sourceHeadings.length - kept} of ${
        sourceHeadings.length
      } headings are missing`,
    );
  }

  const rendered = collapse(renderedText(input.markdown));
  const runs = input.blocks.flatMap(runsOf);
  const total = runs.reduce((sum, run) => sum + run.length, 0);
  const found = runs
    .filter(run => rendered.includes(run))
    .reduce((sum, run) => sum + run.length, 0);
  const textShare = total === 0 ? 1 : found / total;
  if (textShare < MIN_TEXT_SHARE) {
    problems.push(
      `only ${(textShare * 100).toFixed(1)}% of the source text is in the page`,
    );
  }

  const resolves = (href: string) =>
    input.outputPaths.has(
      path.posix.normalize(path.posix.join(dir, decodeURI(href.split('#')[0]))),
    );
  const sourceImages = input.blocks.filter(
    block => block.block_type === BLOCK_TYPE.image,
  ).length;
  const resolvedImages = images.filter(src =>
    isExternal(src) ? /^(https?|data):/i.test(src) : resolves(src),
  ).length;
  if (resolvedImages < sourceImages) {
    problems.push(
      `${
        sourceImages - resolvedImages
      } of ${sourceImages} images do not resolve`,
    );
  }

  const relative = links.filter(
    href => href && !href.startsWith('#') && !isExternal(href),
  );
  const unresolved = relative.filter(href => !resolves(href));
  const notRewritten = links.filter(href => {
    const token = /\/(?:wiki|docx|docs)\/([A-Za-z0-9]+)/.exec(href)?.[1];
    return (
      isExternal(href) && token !== undefined && input.migratedTokens.has(token)
    );
  });
  if (unresolved.length) {
    problems.push(`links to missing pages: ${unresolved.join(', ')}`);
  }
  if (notRewritten.length) {
    problems.push(
      `links still pointing at migrated Feishu pages: ${notRewritten.join(
        ', ',
      )}`,
    );
  }

  const sourceTables = input.blocks.filter(
    block => block.block_type === BLOCK_TYPE.table,
  ).length;
  if (tables < sourceTables) {
    problems.push(
      `${sourceTables - tables} of ${sourceTables} tables are missing`,
    );
  }

  return {
    ok: problems.length === 0,
    headings: { source: sourceHeadings.length, kept },
    textShare,
    images: { source: sourceImages, resolved: resolvedImages },
    links: { relative: relative.length, unresolved, notRewritten },
    tables: { source: sourceTables, output: tables },
    problems,
  };
}
