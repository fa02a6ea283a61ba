import { Entity, isApiEntity } from '@backstage/catalog-model';
import {
  CatalogCollatorEntityTransformer,
  defaultCatalogCollatorEntityTransformer,
} from '@backstage/plugin-search-backend-module-catalog';
import { apiDefinitionText } from './apiDefinitionText';

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];

/**
 * A catalog entity as search indexes it: Backstage's fields (title, kind, type, owner, lifecycle) plus
 * tags and system, the entity's name in the text (so "ledger service" finds ledger-service), and an
 * API's operations and schemas.
 */
export const catalogDocumentOf: CatalogCollatorEntityTransformer = (
  entity: Entity,
) => {
  const base = defaultCatalogCollatorEntityTransformer(entity);
  const tags = stringsOf(entity.metadata.tags);
  const system =
    typeof entity.spec?.system === 'string' ? entity.spec.system : '';
  const words = [
    entity.metadata.name.replace(/[-_.]+/g, ' '),
    base.text,
    tags.join(' '),
    isApiEntity(entity)
      ? apiDefinitionText(entity.spec.type, entity.spec.definition)
      : '',
  ];
  return {
    ...base,
    text: words.filter(Boolean).join('\n'),
    tags,
    system,
  };
};
