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
  if (typeof spec.owner === 'string') {
    lines.push(`It is owned by ${spec.owner}.`);
  }
  if (typeof spec.system === 'string') {
    lines.push(`It is part of the ${spec.system} system.`);
  }
  const relations = (entity.relations ?? []).flatMap(relation => {
    const words = RELATION_WORDS[relation.type];
    if (!words || relation.type === 'ownedBy') return [];
    return [
      {
        targetRef: relation.targetRef,
        line: `${name}: ${words} ${shortRef(relation.targetRef)}.`,
      },
    ];
  });
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
    relations,
  };
}

/** The entity's text with the relations whose other end the reader may read. */
export function entityTextFor(
  doc: EntityDocument,
  readableRefs: ReadonlySet<string>,
) {
  return [
    doc.text,
    ...doc.relations
      .filter(relation => readableRefs.has(relation.targetRef))
      .map(relation => relation.line),
  ].join('\n');
}
