export interface Config {
  feishu?: {
    /** https://open.feishu.cn, https://open.larksuite.com, or the sandbox */
    baseUrl: string;
    appId: string;
    /** @visibility secret */
    appSecret: string;
    /** The tenant's web address, for links to what stays in Feishu, e.g. https://quillstack.feishu.cn */
    webUrl?: string;
    migration?: {
      /**
       * pull-request (default): a branch and PR in the service's repository (github.com/project-slug);
       * local-folder: files in localDirectory/<service>, for development.
       */
      delivery?: 'pull-request' | 'local-folder';
      /** Required for local-folder delivery. Relative paths are relative to the backend's working directory. */
      localDirectory?: string;
      /** The integrations.github host of the services' repositories. Default github.com. */
      githubHost?: string;
      /** FeishuMigrationConfig.permissionMapping: which Feishu members become which Backstage group or role. */
      permissionMapping?: Array<{
        /** "openchat:oc_…", "department:od-…", "user:ou_…", a bare member id, or view | edit | full_access */
        feishuRole: string;
        /** A group ref (group:default/team-payments) or a security role */
        backstageRole: string;
      }>;
      /** The mkdocs executable for the validation build. Default mkdocs. */
      mkdocsCommand?: string;
      /** Pages converted in parallel per job. Default 4. */
      concurrency?: number;
    };
  };
}
