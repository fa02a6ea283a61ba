export interface Config {
  techdocs?: {
    generator?: {
      mkdocs?: {
        /**
         * Read by @backstage/plugin-techdocs-node but missing from its published schema.
         * True here: mkdocs-techdocs-core is not packaged for Debian, so each mkdocs.yml lists its extensions.
         */
        omitTechdocsCorePlugin?: boolean;
      };
    };
  };

  // Upstream endpoints. In development they point at the sandbox (packages/sandbox);
  // the plugin that reads each one owns its full schema.
  opencost?: {
    baseUrl: string;
  };
  n8n?: {
    baseUrl: string;
    /** @visibility secret */
    apiKey: string;
  };
}
