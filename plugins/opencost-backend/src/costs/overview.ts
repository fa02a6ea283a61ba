import { compensatedSum } from './dailyCost';

export interface ServiceTotal {
  entityRef: string;
  title: string;
  owner: string;
  type: string;
  /** The window's cost. */
  total: number;
  /** The cost of as many days just before the window. */
  previous: number;
}

/** How many movers the overview names. */
export const TOP_MOVERS = 5;

const changeOf = (row: ServiceTotal) =>
  row.previous > 0 ? (row.total - row.previous) / row.previous : undefined;

/**
 * The overview of every service and team: services most expensive first, each team's total of its
 * services, and the services whose cost changed most in money, either way.
 */
export function costOverviewOf(rows: ServiceTotal[]) {
  const services = [...rows]
    .sort((a, b) => b.total - a.total || a.entityRef.localeCompare(b.entityRef))
    .map(row => ({ ...row, change: changeOf(row) }));
  const byOwner = new Map<string, ServiceTotal[]>();
  for (const row of rows) {
    const owned = byOwner.get(row.owner);
    if (owned) owned.push(row);
    else byOwner.set(row.owner, [row]);
  }
  const teams = [...byOwner]
    .map(([owner, owned]) => ({
      owner,
      total: compensatedSum(owned.map(r => r.total)),
      services: owned.length,
    }))
    .sort((a, b) => b.total - a.total || a.owner.localeCompare(b.owner));
  const topMovers = services
    .filter(row => row.previous > 0 && row.total !== row.previous)
    .sort(
      (a, b) =>
        Math.abs(b.total - b.previous) - Math.abs(a.total - a.previous) ||
        a.entityRef.localeCompare(b.entityRef),
    )
    .slice(0, TOP_MOVERS);
  return { services, teams, topMovers };
}

export type OverviewSort =
  | 'total'
  | 'previous'
  | 'change'
  | 'title'
  | 'owner'
  | 'type';

export interface OverviewPageQuery {
  offset?: number;
  /** Default 50. */
  limit?: number;
  /** Default total. */
  sort?: OverviewSort;
  /** Default desc. */
  order?: 'asc' | 'desc';
  /** Only services whose name, owner or type contains this (any case). */
  q?: string;
}

type ServiceRow = ServiceTotal & { change?: number };

/** One page of the services, filtered and sorted; with how many match in all. Ties go by entity ref. */
export function servicesPageOf(
  services: ServiceRow[],
  query: OverviewPageQuery,
): { services: ServiceRow[]; totalServices: number } {
  const q = query.q?.trim().toLocaleLowerCase('en-US');
  const matching = q
    ? services.filter(row =>
        [row.entityRef, row.title, row.owner, row.type].some(field =>
          field.toLocaleLowerCase('en-US').includes(q),
        ),
      )
    : services;
  const sort = query.sort ?? 'total';
  const direction = query.order === 'asc' ? 1 : -1;
  const compare = (a: ServiceRow, b: ServiceRow) => {
    if (sort === 'title' || sort === 'owner' || sort === 'type') {
      return direction * a[sort].localeCompare(b[sort]);
    }
    const x = a[sort];
    const y = b[sort];
    // A service with nothing before has no change: last whichever way the list is sorted.
    if (x === undefined || y === undefined) {
      return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
    }
    return direction * (x - y);
  };
  const sorted = [...matching].sort(
    (a, b) => compare(a, b) || a.entityRef.localeCompare(b.entityRef),
  );
  const offset = query.offset ?? 0;
  return {
    services: sorted.slice(offset, offset + (query.limit ?? 50)),
    totalServices: matching.length,
  };
}
