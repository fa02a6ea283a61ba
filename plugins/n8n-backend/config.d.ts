export interface Config {
  n8n?: {
    /** n8n's base URL; its public API is under /api/v1. */
    baseUrl: string;
    /** An n8n API key (Settings → n8n API). */
    /** @visibility secret */
    apiKey: string;
    /** Where n8n serves production webhooks (its WEBHOOK_URL); default baseUrl. */
    webhookBaseUrl?: string;
    /** Milliseconds one request to n8n may take. Default 15000. */
    timeoutMs?: number;
    /** How often runs in flight are checked against n8n (one replica at a time). Default 10. */
    followEverySeconds?: number;
    /** A run n8n has not finished after this long is failed. Default 60. */
    runTimeoutMinutes?: number;
    /** How workflows report results to the portal (POST /api/n8n/callback). */
    callback?: {
      /** The HMAC-SHA256 secret workflows sign their callbacks with. */
      /** @visibility secret */
      secret: string;
      /** How old a callback's timestamp may be. Default 300. */
      toleranceSeconds?: number;
      /** The callback URL workflows receive; default the n8n plugin's external URL (backend.baseUrl + /api/n8n) + /callback. */
      url?: string;
    };
    /** Self-service actions shown on the Workflows page, each run by an n8n workflow. */
    actions?: Array<{
      /** Lower-case letters, digits and dashes. */
      id: string;
      title: string;
      description: string;
      /** The n8n workflow, by name or id. It must be active and start with a Webhook trigger (POST). */
      workflow: string;
      /** JSON Schema (draft 2020-12 subset ajv supports) of the input; the form is generated from it. */
      inputSchema: { [key: string]: any };
      /** react-jsonschema-form uiSchema for the form. */
      uiSchema?: { [key: string]: any };
      /** The input field holding the entity ref the action is about (it must be readable by the caller). */
      entityField?: string;
      /** The sensitive action the caller needs on that entity, e.g. n8n.run. None: any signed-in user. */
      permission?: string;
      /** The caller must be a member of the entity (a group), or an admin. */
      requiresMembership?: boolean;
      /** Always consume an approval of the permission's action on the entity before running. */
      requiresApproval?: boolean;
      /**
       * An access request: its input has `access` (a sensitive action) and `hours`, and a successful callback
       * with `grant` records that access for the requester on the entity, time-boxed.
       */
      grantsAccess?: boolean;
    }>;
  };
}
