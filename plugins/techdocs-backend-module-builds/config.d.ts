export interface Config {
  techdocs?: {
    /**
     * The portal's schedule over every entity with `backstage.io/techdocs-ref`. With `techdocs.builder:
     * local` (development) it builds each entity's docs so they are readable and searchable from the first
     * start; with `external` (production: docs built in CI and published to the bucket) it only watches
     * what was published. Either way it records each build's outcome for the docs page and announces new
     * docs to search.
     */
    scheduledBuilds?: {
      /** false turns the schedule off. Default true. */
      enabled?: boolean;
      /** How often published docs are checked for a new build, in seconds. Default 60. */
      checkEverySeconds?: number;
      /** With the local builder: how often each entity's docs are rebuilt, in minutes. Default 30. */
      rebuildEveryMinutes?: number;
    };
  };
}
