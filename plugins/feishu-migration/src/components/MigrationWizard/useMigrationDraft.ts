import { useCallback, useState } from 'react';
import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
  MigrationConversionOptions,
  MigrationRequest,
  MigrationTargetStructure,
} from '@internal/plugin-feishu-migration-common';

/** Where the pages come from: a wiki space or a drive folder. */
export type MigrationSource =
  | { kind: 'wiki-space'; spaceId: string; name: string }
  | { kind: 'drive-folder'; folderToken: string; name: string };

/** The source's id in Feishu: the space id or the folder token. */
export function sourceId(source: MigrationSource): string {
  return source.kind === 'wiki-space' ? source.spaceId : source.folderToken;
}

export interface MigrationDraft {
  entityRef: string;
  source?: MigrationSource;
  selected: ReadonlySet<string>;
  options: MigrationConversionOptions;
  target: MigrationTargetStructure;
}

/** The request that starts the drafted migration, once a service and a source are chosen. */
export function migrationRequestOf(
  draft: MigrationDraft,
): MigrationRequest | undefined {
  const { entityRef, source } = draft;
  if (!entityRef || !source) return undefined;
  return {
    entityRef,
    ...(source.kind === 'wiki-space'
      ? { spaceId: source.spaceId }
      : { folderToken: source.folderToken }),
    nodeTokens: [...draft.selected],
    options: draft.options,
    target: draft.target,
  };
}

/**
 * The wizard's state. Choosing another service forgets the source and the pages (the service decides
 * what the caller may browse); choosing another source forgets the pages.
 */
export function useMigrationDraft(initialEntityRef = '') {
  const [draft, setDraft] = useState<MigrationDraft>({
    entityRef: initialEntityRef,
    selected: new Set(),
    options: DEFAULT_CONVERSION_OPTIONS,
    target: DEFAULT_TARGET_STRUCTURE,
  });
  const chooseService = useCallback(
    (entityRef: string) =>
      setDraft(d => ({
        ...d,
        entityRef,
        source: undefined,
        selected: new Set(),
      })),
    [],
  );
  const chooseSource = useCallback(
    (source: MigrationSource | undefined) =>
      setDraft(d => ({ ...d, source, selected: new Set() })),
    [],
  );
  const setSelected = useCallback(
    (selected: ReadonlySet<string>) => setDraft(d => ({ ...d, selected })),
    [],
  );
  const setOptions = useCallback(
    (options: MigrationConversionOptions) => setDraft(d => ({ ...d, options })),
    [],
  );
  const setTarget = useCallback(
    (target: MigrationTargetStructure) => setDraft(d => ({ ...d, target })),
    [],
  );
  return {
    draft,
    chooseService,
    chooseSource,
    setSelected,
    setOptions,
    setTarget,
  };
}
