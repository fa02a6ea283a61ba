import { createCatalogPermissionRule } from '@backstage/plugin-catalog-backend/alpha';
import { createConditionFactory } from '@backstage/plugin-permission-node';
import { z } from 'zod/v3';

/**
 * Catalog entities with a relation of a type to one of some entities, e.g. the APIs a restricted service
 * provides (apiProvidedBy). The catalog's search table keeps relations as relations.<type>, so lists are
 * filtered in the database as with Backstage's own rules.
 */
export const hasRelationRule = createCatalogPermissionRule({
  name: 'HAS_RELATION',
  description:
    'Allow entities with a relation of the given type to one of the given entities',
  resourceType: 'catalog-entity',
  paramsSchema: z.object({
    relation: z.string().describe('Relation type, e.g. apiProvidedBy'),
    targetRefs: z.array(z.string()).describe('Full refs of the targets'),
  }),
  apply: (entity, { relation, targetRefs }) => {
    const targets = targetRefs.map(ref => ref.toLocaleLowerCase('en-US'));
    return (entity.relations ?? []).some(
      r =>
        r.type.toLocaleLowerCase('en-US') ===
          relation.toLocaleLowerCase('en-US') &&
        targets.includes(r.targetRef.toLocaleLowerCase('en-US')),
    );
  },
  toQuery: ({ relation, targetRefs }) => ({
    key: `relations.${relation.toLocaleLowerCase('en-US')}`,
    values: targetRefs.map(ref => ref.toLocaleLowerCase('en-US')),
  }),
});

export const hasRelation = createConditionFactory(hasRelationRule);
