export interface Config {
  scaffolder?: {
    goldenPaths?: {
      /**
       * The GitHub organizations golden paths create repositories in; golden-paths:catalog:register
       * registers only repositories of these organizations.
       */
      organizations?: string[];
    };
  };
}
