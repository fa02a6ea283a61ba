import fs from 'node:fs/promises';
import path from 'node:path';
import { NotAllowedError } from '@backstage/errors';
import { MigrationStore, StoredFile } from '../database/MigrationStore';
import { Delivery, DeliveryJob, ExistingDocs } from './Delivery';

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error: any) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

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

  async deliver(job: DeliveryJob, files: StoredFile[], store: MigrationStore) {
    for (const file of files) {
      if (file.written) continue;
      const target = this.resolve(job.destination, file.path);
      if (!file.previousRecorded) {
        await store.recordPrevious(
          job.id,
          file.path,
          await readIfExists(target),
        );
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, file.content);
      await store.markWritten(job.id, file.path, true);
    }
    return {};
  }

  async rollback(job: DeliveryJob, files: StoredFile[], store: MigrationStore) {
    const root = path.resolve(job.destination);
    for (const file of files) {
      if (!file.previousRecorded) continue;
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
      await store.markWritten(job.id, file.path, false);
    }
  }
}
