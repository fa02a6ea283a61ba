import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface MkdocsBuildResult {
  status: 'passed' | 'failed' | 'skipped';
  /** MkDocs' WARNING lines, or why the build failed or was skipped. */
  messages: string[];
  durationMs: number;
}

/**
 * Writes the migrated files into a scratch folder and runs `mkdocs build` on them. When mkdocs is not
 * installed the result says so ("skipped") rather than failing the migration: TechDocs builds it later.
 */
export async function buildWithMkdocs(
  files: Array<{ path: string; content: Buffer }>,
  command = 'mkdocs',
): Promise<MkdocsBuildResult> {
  const started = Date.now();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'feishu-mkdocs-'));
  try {
    for (const file of files) {
      const target = path.join(dir, file.path);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, file.content);
    }
    try {
      const { stderr } = await promisify(execFile)(
        command,
        ['build', '--site-dir', path.join(dir, '.site')],
        { cwd: dir, maxBuffer: 16 * 1024 * 1024, timeout: 5 * 60_000 },
      );
      return {
        status: 'passed',
        messages: stderr
          .split('\n')
          .filter(line => line.startsWith('WARNING'))
          .map(line => line.trim()),
        durationMs: Date.now() - started,
      };
    } catch (error: any) {
      if (error.code === 'ENOENT') {
        return {
          status: 'skipped',
          messages: [`${command} is not installed on this backend`],
          durationMs: Date.now() - started,
        };
      }
      return {
        status: 'failed',
        messages: String(error.stderr || error.message)
          .split('\n')
          .filter(line => /ERROR|Error|WARNING|Aborted/.test(line))
          .slice(-20),
        durationMs: Date.now() - started,
      };
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
