import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { DeliveryRecords, StoredFile } from '../database/MigrationStore';
import { Delivery, DeliveryJob, ExistingDocs } from './Delivery';

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error: any) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

const sameContent = (a: Buffer | undefined, b: Buffer | undefined) =>
  a === undefined || b === undefined ? a === b : a.equals(b);

async function markdownFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs
    .readdir(dir, { withFileTypes: true })
    .catch(() => []);
  const nested = await Promise.all(
    entries.map(entry =>
      entry.isDirectory()
        ? markdownFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : Promise.resolve(
            entry.name.endsWith('.md') ? [`${prefix}${entry.name}`] : [],
          ),
    ),
  );
  return nested.flat();
}

/**
 * Development delivery: writes into a folder per service (feishu.migration.localDirectory/<service>) and
 * remembers what each path held before, so rollback puts it back.
 */
export class LocalFolderDelivery implements Delivery {
  private resolve(destination: string, file: string) {
    const target = path.resolve(destination, file);
    if (!target.startsWith(path.resolve(destination) + path.sep)) {
      throw new NotAllowedError(`${file} is outside ${destination}`);
    }
    return target;
  }

  async readExisting(destination: string): Promise<ExistingDocs> {
    const mkdocs = await readIfExists(path.join(destination, 'mkdocs.yml'));
    return {
      mkdocs: mkdocs?.toString('utf8'),
      pages: await markdownFiles(path.join(destination, 'docs')),
    };
  }

  async deliver(
    job: DeliveryJob,
    files: StoredFile[],
    records: DeliveryRecords,
  ) {
    for (const file of files) {
      if (file.written) continue;
      const target = this.resolve(job.destination, file.path);
      if (!file.previousRecorded) {
        await records.recordPrevious(file.path, await readIfExists(target));
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, file.content);
      await records.markWritten(file.path, true);
    }
    return {};
  }

  /**
   * Puts back what each path held. A file that holds neither what the migration wrote nor what was there
   * before was changed since: nothing is rolled back then, and the error names those files.
   */
  async rollback(
    job: DeliveryJob,
    files: StoredFile[],
    records: DeliveryRecords,
  ) {
    const root = path.resolve(job.destination);
    const recorded = files.filter(file => file.previousRecorded);
    const changed: string[] = [];
    for (const file of recorded) {
      const current = await readIfExists(
        this.resolve(job.destination, file.path),
      );
      const previous = file.existedBefore ? file.previousContent : undefined;
      if (
        !sameContent(current, file.content) &&
        !sameContent(current, previous)
      ) {
        changed.push(file.path);
      }
    }
    if (changed.length > 0) {
      throw new ConflictError(
        `${changed.length} file(s) in ${
          job.destination
        } changed since the migration wrote them, so nothing was rolled back: ${changed
          .slice(0, 10)
          .join(', ')}${
          changed.length > 10 ? ', …' : ''
        }. Restore or remove the changes, then retry the rollback.`,
      );
    }
    for (const file of recorded) {
      const target = this.resolve(job.destination, file.path);
      if (file.existedBefore && file.previousContent) {
        await fs.writeFile(target, file.previousContent);
      } else {
        await fs.rm(target, { force: true });
        // Folders the migration created go too, once empty.
        for (
          let dir = path.dirname(target);
          dir.startsWith(root + path.sep);
          dir = path.dirname(dir)
        ) {
          const left = await fs.readdir(dir).catch(() => undefined);
          if (!left || left.length > 0) break;
          await fs.rmdir(dir);
        }
      }
      await records.markWritten(file.path, false);
    }
  }
}
