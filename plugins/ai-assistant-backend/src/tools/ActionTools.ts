import {
  BackstageCredentials,
  CacheService,
} from '@backstage/backend-plugin-api';
import {
  ActionsService,
  ActionsServiceAction,
} from '@backstage/backend-plugin-api/alpha';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';

/** A tool's result is cut to this many characters (after the filter) before it reaches the model. */
export const MAX_TOOL_RESULT_CHARS = 6000;

/** How long a person's list of actions is reused; what an action may do is checked when it runs. */
const ACTIONS_TTL_MS = 60_000;

/** OpenAI function names allow letters, digits, _ and - (at most 64). */
export function toolNameOf(actionId: string) {
  return actionId.replace(/[^a-zA-Z0-9_-]/g, '__').slice(0, 64);
}

export interface OfferedTools {
  definitions: ChatCompletionTool[];
  byName: Map<string, ActionsServiceAction>;
}

/**
 * The portal's registered actions (the MCP actions registry) that the asker may use, offered to the model
 * as tools. They run with the asker's own credentials, so each action's own permission checks apply:
 * the model can do what the person could, and nothing more.
 */
export class ActionTools {
  constructor(
    private readonly actions: ActionsService,
    private readonly plugins: string[],
    /** Where each person's action list is kept for a minute (listing asks every plugin). */
    private readonly cache?: CacheService,
  ) {}

  private async listed(credentials: BackstageCredentials) {
    const principal = credentials.principal as { userEntityRef?: string };
    const key = principal.userEntityRef
      ? `actions:${principal.userEntityRef}`
      : undefined;
    const cached = key
      ? ((await this.cache?.get(key).catch(() => undefined)) as
          | ActionsServiceAction[]
          | undefined)
      : undefined;
    if (cached) return cached;
    const { actions } = await this.actions.list({ credentials });
    const usable = actions.filter(a => this.plugins.includes(a.pluginId));
    if (key) {
      await this.cache
        ?.set(key, usable as any, { ttl: ACTIONS_TTL_MS })
        .catch(() => undefined);
    }
    return usable;
  }

  async offered(credentials: BackstageCredentials): Promise<OfferedTools> {
    const usable = await this.listed(credentials);
    const byName = new Map(usable.map(a => [toolNameOf(a.id), a]));
    return {
      byName,
      definitions: [...byName].map(([name, action]) => ({
        type: 'function' as const,
        function: {
          name,
          description: `${action.title}. ${action.description}${
            action.attributes.readOnly
              ? ''
              : ' (Changes something: it is proposed to the person, who must confirm it.)'
          }`.slice(0, 1024),
          parameters: action.schema.input as Record<string, unknown>,
        },
      })),
    };
  }

  /** Runs an action for the asker, with their credentials; its output. */
  async run(
    action: ActionsServiceAction,
    input: Record<string, unknown>,
    credentials: BackstageCredentials,
  ): Promise<unknown> {
    const { output } = await this.actions.invoke({
      id: action.id,
      input: input as any,
      credentials,
    });
    return output;
  }
}
