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
