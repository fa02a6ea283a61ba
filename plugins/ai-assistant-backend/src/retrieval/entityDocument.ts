import {
  Entity,
  isApiEntity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { apiDefinitionText } from '@internal/plugin-search-backend-module-portal';
import { SourceKind } from '@internal/plugin-ai-assistant-common';

/** An entity as the assistant reads it: what it is, who owns it, what it is connected to. */
export interface EntityDocument {
  entityRef: string;
  kind: SourceKind;
  title: string;
  url: string;
  /** What the entity is, without its relations. */
  text: string;
  /** Its first sentence and description: what a relation's chunk repeats, to say whose relation it is. */
  summary: string;
  /** One sentence per related entity: shown only to readers of both ends. */
  relations: Array<{ targetRef: string; line: string }>;
}

const RELATION_WORDS: Record<string, string> = {
  ownedBy: 'Owned by',
  partOf: 'Part of',
  dependsOn: 'Depends on',
  dependencyOf: 'Needed by',
  providesApi: 'Provides the API',
  consumesApi: 'Calls the API',
  apiProvidedBy: 'Provided by',
  apiConsumedBy: 'Called by',
  hasMember: 'Members',
  memberOf: 'Member of',
  parentOf: 'Parent of',
  childOf: 'Child of',
  hasPart: 'Has parts',
};

const shortRef = (ref: string) => {
  const { kind, name } = parseEntityRef(ref);
  return `${name} (${kind.toLowerCase()})`;
};

export function entityUrl(entityRef: string) {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}`;
}

/** The sentences the assistant retrieves an entity by and quotes from. */
export function entityDocumentOf(entity: Entity): EntityDocument {
  const entityRef = stringifyEntityRef(entity);
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const kind = entity.kind;
  const name = entity.metadata.title ?? entity.metadata.name;
  const facts = [spec.lifecycle, spec.type].filter(
    (v): v is string => typeof v === 'string',
  );
  const lines = [
    `${name} is ${
      facts.length > 0 ? `a ${facts.join(' ')}` : 'a'
    } ${kind.toLowerCase()} in the catalog (${entityRef}).`,
  ];
  if (entity.metadata.description) lines.push(entity.metadata.description);
  // The owner and the system too are other entities: named only to their readers (ownedBy, partOf). The
  // catalog adds those relations as it processes an entity; from the spec when it has not (yet).
  const namespace = entity.metadata.namespace ?? 'default';
  const fromSpec = [
    { type: 'ownedBy', ref: spec.owner, defaultKind: 'group' },
    { type: 'partOf', ref: spec.system, defaultKind: 'system' },
  ].flatMap(({ type, ref, defaultKind }) =>
    typeof ref === 'string' &&
    !(entity.relations ?? []).some(relation => relation.type === type)
      ? [
          {
            type,
            targetRef: stringifyEntityRef(
              parseEntityRef(ref, { defaultKind, defaultNamespace: namespace }),
            ),
          },
        ]
      : [],
  );
  const relations = [...(entity.relations ?? []), ...fromSpec].flatMap(
    relation => {
      const words = RELATION_WORDS[relation.type];
      if (!words) return [];
      return [
        {
          targetRef: relation.targetRef,
          line: `${name}: ${words} ${shortRef(relation.targetRef)}.`,
        },
      ];
    },
  );
  const tags = entity.metadata.tags ?? [];
  if (tags.length > 0) lines.push(`Tags: ${tags.join(', ')}.`);
  const profile = spec.profile as
    | { email?: string; displayName?: string }
    | undefined;
  if (profile?.email) lines.push(`E-mail: ${profile.email}.`);
  for (const link of entity.metadata.links ?? []) {
    lines.push(`Link: ${link.title ?? link.url} (${link.url}).`);
  }
  if (isApiEntity(entity)) {
    lines.push(apiDefinitionText(entity.spec.type, entity.spec.definition));
  }
  return {
    entityRef,
    kind: isApiEntity(entity) ? 'api' : 'entity',
    title: `${name} (${kind})`,
    url: entityUrl(entityRef),
    text: lines.filter(Boolean).join('\n'),
    summary: lines.slice(0, entity.metadata.description ? 2 : 1).join('\n'),
    relations,
  };
}

/**
 * The entity's text with the relations whose other end the reader may read, and every entity a later
 * reader of that text must be able to read too (it names them).
 */
export function entityTextFor(
  doc: EntityDocument,
  readableRefs: ReadonlySet<string>,
) {
  const shown = doc.relations.filter(relation =>
    readableRefs.has(relation.targetRef),
  );
  return {
    text: [doc.text, ...shown.map(relation => relation.line)].join('\n'),
    requiredRefs: [
      ...new Set([doc.entityRef, ...shown.map(relation => relation.targetRef)]),
    ],
  };
}
