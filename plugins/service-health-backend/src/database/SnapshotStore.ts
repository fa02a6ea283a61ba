import { Signal } from '@internal/plugin-service-health-common';

export interface Snapshot<T> {
  payload: T;
  fetchedAt: Date;
}

/** The last good answer of each upstream per service, and whether it is failing now. */
export interface SnapshotStore {
  get<T>(entityRef: string, signal: Signal): Promise<Snapshot<T> | undefined>;
  /** Stores a good answer and ends a failure burst. */
  save<T>(
    entityRef: string,
    signal: Signal,
    snapshot: Snapshot<T>,
  ): Promise<void>;
  /** Records a failure; true when it starts a burst (the first failure since the last good answer). */
  markFailing(
    entityRef: string,
    signal: Signal,
    problem: string,
  ): Promise<boolean>;
}
