/** The security plugin's sensitive-content filter, as the redactor uses it. */
export type TextFilter = (text: string) => Promise<{ text: string }>;

const PEM_BEGIN = /-----BEGIN[A-Z ]*PRIVATE KEY/;
const PEM_CLOSED = /-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----|\n\s*\n/;

/** Whether quotes opened in the text are all closed, so no quoted value is still arriving. */
function quotesClosed(text: string) {
  let open: string | undefined;
  for (const char of text) {
    if (open) {
      if (char === open) open = undefined;
    } else if (char === '"' || char === "'") {
      open = char;
    }
  }
  return open === undefined;
}

/**
 * Redacts a streamed answer as it arrives, so that nothing sent needs taking back. Text is released a whole
 * word at a time, and held while a secret may still be growing: an unfinished word, an open quote on the
 * line, a private key block that has begun but not ended. Each line is filtered on its own, which finds
 * what filtering the whole text finds (the filter's detectors do not span lines, private keys aside).
 * Filtering runs one call at a time; text arriving meanwhile is taken in the next call.
 */
export class StreamRedactor {
  private raw = '';
  /** Where the line being received starts in raw; everything before it has been released. */
  private lineStart = 0;
  /** What has been released of that line, redacted. */
  private releasedOfLine = '';
  private pumping: Promise<void> = Promise.resolve();

  constructor(
    private readonly filter: TextFilter,
    private readonly release: (text: string) => void,
  ) {}

  /** Takes more of the answer; releases what is safe once filtered. */
  push(delta: string): Promise<void> {
    this.raw += delta;
    this.pumping = this.pumping.then(() => this.pump(false));
    return this.pumping;
  }

  /** The answer is complete: releases the rest, filtered. */
  end(): Promise<void> {
    this.pumping = this.pumping.then(() => this.pump(true));
    return this.pumping;
  }

  private async pump(final: boolean) {
    for (;;) {
      const pending = this.raw.slice(this.lineStart);
      const pem = PEM_BEGIN.exec(pending);
      const newline = pending.indexOf('\n');
      if (newline >= 0 && (!pem || newline < pem.index)) {
        await this.releaseLinePart(pending.slice(0, newline + 1), true);
        continue;
      }
      if (pem) {
        // A private key block goes through the filter whole: held from where it begins to where it ends.
        const close = PEM_CLOSED.exec(pending.slice(pem.index));
        if (!close && !final) {
          await this.releaseWords(pending.slice(0, pem.index));
          return;
        }
        const end = close
          ? pem.index + close.index + close[0].length
          : pending.length;
        await this.releaseLinePart(pending.slice(0, end), true);
        continue;
      }
      if (final) {
        await this.releaseLinePart(pending, true);
        return;
      }
      await this.releaseWords(pending);
      return;
    }
  }

  /**
   * Releases a line's start up to its last whole word, unless a quote is still open there; a line that
   * may be a private key's header (`-----BEGIN ...`) is held until it is whole.
   */
  private async releaseWords(line: string) {
    const header = /-----BEGIN[^\n]*$/.exec(line);
    const lineStart = header ? line.slice(0, header.index) : line;
    const lastSpace = Math.max(
      lineStart.lastIndexOf(' '),
      lineStart.lastIndexOf('\t'),
    );
    const upToWord = lineStart.slice(0, lastSpace + 1);
    if (lastSpace >= 0 && quotesClosed(upToWord)) {
      await this.releaseLinePart(upToWord, false);
    }
  }

  /** Releases the filtered text of the line's start not released yet; `complete` ends the line. */
  private async releaseLinePart(part: string, complete: boolean) {
    if (part === '') return;
    const { text } = await this.filter(part);
    if (text.startsWith(this.releasedOfLine)) {
      const fresh = text.slice(this.releasedOfLine.length);
      if (fresh !== '') this.release(fresh);
      this.releasedOfLine = text;
    } else if (complete) {
      // The filter redacted more of the line than it had at a word's end (a secret across words): what
      // was released stands redacted as it was, and the line's rest is released from its redacted form.
      const sharedLength = commonPrefixLength(text, this.releasedOfLine);
      this.release(text.slice(sharedLength));
    }
    if (complete) {
      this.lineStart += part.length;
      this.releasedOfLine = '';
    }
  }
}

function commonPrefixLength(a: string, b: string) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
