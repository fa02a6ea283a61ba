export interface Config {
  search?: {
    portal?: {
      /** How often the catalog is checked for changed entities to re-index, in seconds. Default 30. */
      catalogCheckSeconds?: number;
    };
  };
}
