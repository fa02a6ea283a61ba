/** One row of what the harness checked, for the table it prints at the end. */
export interface Check {
  scenario: string;
  what: string;
  figure: string;
  ok: boolean;
}

export function printTable(checks: Check[]) {
  const headers = ['scenario', 'what was checked', 'figure', 'result'];
  const rows = checks.map(c => [
    c.scenario,
    c.what,
    c.figure,
    c.ok ? 'ok' : 'VIOLATED',
  ]);
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
