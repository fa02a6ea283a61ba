import { Config } from '@backstage/config';
import { PermissionMappingRule } from '../migration/permissionMapping';

export interface MigrationConfig {
  feishu: { baseUrl: string; appId: string; appSecret: string };
  webUrl?: string;
  delivery: 'pull-request' | 'local-folder';
  localDirectory?: string;
  githubHost: string;
  permissionMapping: PermissionMappingRule[];
  mkdocsCommand: string;
  concurrency: number;
}

/** feishu.* with defaults; a bad value fails startup naming the key. */
export function readMigrationConfig(config: Config): MigrationConfig {
  const feishu = config.getConfig('feishu');
  const migration = feishu.getOptionalConfig('migration');
  const delivery = migration?.getOptionalString('delivery') ?? 'pull-request';
  if (delivery !== 'pull-request' && delivery !== 'local-folder') {
    throw new Error(
      `Invalid config at feishu.migration.delivery: "${delivery}" is neither pull-request nor local-folder`,
    );
  }
  const localDirectory = migration?.getOptionalString('localDirectory');
  if (delivery === 'local-folder' && !localDirectory) {
    throw new Error(
      'Invalid config at feishu.migration.localDirectory: required when delivery is local-folder',
    );
  }
  const concurrency = migration?.getOptionalNumber('concurrency') ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new Error(
      `Invalid config at feishu.migration.concurrency: ${concurrency} is not a whole number from 1 to 16`,
    );
  }
  return {
    feishu: {
      baseUrl: feishu.getString('baseUrl'),
      appId: feishu.getString('appId'),
      appSecret: feishu.getString('appSecret'),
    },
    webUrl: feishu.getOptionalString('webUrl'),
    delivery,
    localDirectory,
    githubHost: migration?.getOptionalString('githubHost') ?? 'github.com',
    permissionMapping: (
      migration?.getOptionalConfigArray('permissionMapping') ?? []
    ).map(rule => ({
      feishuRole: rule.getString('feishuRole'),
      backstageRole: rule.getString('backstageRole'),
    })),
    mkdocsCommand: migration?.getOptionalString('mkdocsCommand') ?? 'mkdocs',
    concurrency,
  };
}
