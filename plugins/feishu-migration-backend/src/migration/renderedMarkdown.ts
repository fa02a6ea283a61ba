import MarkdownIt from 'markdown-it';

const markdownIt = new MarkdownIt({ html: true });

/**
 * MkDocs admonitions are not CommonMark. `unfold` drops the marker line and dedents the body, as MkDocs
 * renders the text; `quote` turns each admonition into a blockquote with its title in bold, for Markdown
 * renderers without the extension (the wizard's preview).
 */
function rewriteAdmonitions(
  markdown: string,
  mode: 'unfold' | 'quote',
): string {
  const out: string[] = [];
  const bodies: number[] = [];
  for (const line of markdown.split('\n')) {
    const lineIndent = line.length - line.trimStart().length;
    while (
      bodies.length &&
      line.trim() !== '' &&
      lineIndent < bodies[bodies.length - 1]
    )
      bodies.pop();
    const shift = bodies.length * 4;
    const quote = mode === 'quote' ? '> '.repeat(bodies.length) : '';
    const marker = /^(\s*)!!! (\w+)(?: "(.*)")?/.exec(line);
    if (marker) {
      if (mode === 'quote') {
        const title =
          marker[3] || marker[2].charAt(0).toUpperCase() + marker[2].slice(1);
        out.push(`${quote}> **${title}**`, `${quote}>`);
      }
      bodies.push(marker[1].length + 4);
      continue;
    }
    const text =
      line.trim() === '' ? '' : line.slice(Math.min(shift, lineIndent));
    out.push(quote ? `${quote}${text}`.trimEnd() : text);
  }
  return out.join('\n');
}

export function unfoldAdmonitions(markdown: string): string {
  return rewriteAdmonitions(markdown, 'unfold');
}

export function admonitionsAsQuotes(markdown: string): string {
  return rewriteAdmonitions(markdown, 'quote');
}

/** The tokens of MkDocs-flavoured Markdown, as a CommonMark parser sees them once admonitions are unfolded. */
export function parseMarkdown(markdown: string) {
  return markdownIt.parse(unfoldAdmonitions(markdown), {});
}

/** The text a reader sees, whitespace collapsed: tags dropped, entities decoded. */
export function renderedText(markdown: string): string {
  return markdownIt
    .render(unfoldAdmonitions(markdown))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
