import MarkdownIt from 'markdown-it';

const markdownIt = new MarkdownIt({ html: true });

/** MkDocs admonitions are not CommonMark: unfold them (drop the marker line, dedent the body) as MkDocs does. */
export function unfoldAdmonitions(markdown: string): string {
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
    const marker = /^(\s*)!!! \w+/.exec(line);
    if (marker) {
      bodies.push(marker[1].length + 4);
      continue;
    }
    out.push(line.trim() === '' ? '' : line.slice(Math.min(shift, lineIndent)));
  }
  return out.join('\n');
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
