import fc from 'fast-check';
import { tokensOf } from '../tokens';
import { chunkMarkdown } from './chunkMarkdown';

const word = fc.oneof(
  fc.constantFrom(
    'invoice',
    'ledger',
    'retry.',
    'Why?',
    'p99',
    'Ωmega',
    '`code`',
  ),
  fc.string({ minLength: 1, maxLength: 60 }).map(s => s.replace(/\s/g, 'x')),
);
const paragraph = fc
  .array(word, { minLength: 1, maxLength: 80 })
  .map(words => words.join(' '));
const block = fc.oneof(
  paragraph,
  fc
    .array(paragraph, { minLength: 1, maxLength: 3 })
    .map(lines => `\`\`\`\n${lines.join('\n\n')}\n\`\`\``),
  fc.constantFrom('## Rollback', '# Overview', '### When the queue backs up'),
);
const markdown = fc
  .array(block, { maxLength: 12 })
  .map(blocks => blocks.join('\n\n'));

const withoutSpace = (text: string) => text.replace(/\s+/g, '');
const isHeading = (line: string) => /^#{1,6}[ \t]+/.test(line);

describe('chunkMarkdown', () => {
  it('keeps every chunk within the limit and every character of the content, in order', () => {
    fc.assert(
      fc.property(markdown, fc.integer({ min: 8, max: 200 }), (md, max) => {
        const chunks = chunkMarkdown(md, max);
        for (const chunk of chunks) {
          expect(tokensOf(chunk.text)).toBeLessThanOrEqual(max);
          expect(chunk.text.trim()).not.toBe('');
        }
        let inFence = false;
        const content = md
          .split('\n')
          .filter(line => {
            if (/^\s*```/.test(line)) inFence = !inFence;
            return inFence || !isHeading(line);
          })
          .join('\n');
        expect(withoutSpace(chunks.map(c => c.text).join(''))).toBe(
          withoutSpace(content),
        );
      }),
    );
  });

  it('labels each chunk with the heading above it', () => {
    const chunks = chunkMarkdown(
      'Intro text.\n\n## Rollback\n\nRun argocd app rollback.\n\n## Alerts\n\nPage the owner.',
      50,
    );
    expect(chunks).toEqual([
      { text: 'Intro text.' },
      { heading: 'Rollback', text: 'Run argocd app rollback.' },
      { heading: 'Alerts', text: 'Page the owner.' },
    ]);
  });
});
