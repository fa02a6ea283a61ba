import { Knex } from 'knex';
import { InputError } from '@backstage/errors';

/** Where a newest-first page ended: (timestamp, id) of its last row. */
export interface KeysetCursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(value: string): KeysetCursor {
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString());
    if (
      typeof cursor.at !== 'string' ||
      typeof cursor.id !== 'string' ||
      Number.isNaN(Date.parse(cursor.at))
    ) {
      throw new Error('bad shape');
    }
    return cursor;
  } catch {
    throw new InputError('cursor is not a cursor this endpoint returned');
  }
}

/** Newest first on (column, id), after the cursor: pages stay stable while rows arrive. */
export function pageAfter(
  builder: Knex.QueryBuilder,
  column: string,
  idColumn: string,
  cursor: string | undefined,
): Knex.QueryBuilder {
  builder.orderBy([
    { column, order: 'desc' },
    { column: idColumn, order: 'desc' },
  ]);
  if (cursor) {
    const { at, id } = decodeCursor(cursor);
    const time = new Date(at);
    builder.where(inner =>
      inner
        .where(column, '<', time)
        .orWhere(tie => tie.where(column, time).andWhere(idColumn, '<', id)),
    );
  }
  return builder;
}
