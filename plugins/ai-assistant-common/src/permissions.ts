import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Asking the assistant anything (chat, generation, error analysis, review). The security policy knows it as
 * the sensitive action `ai.use`: a contractor boundary can refuse it or ask for an approval.
 */
export const aiPromptCreatePermission = createPermission({
  name: 'ai-assistant.prompt.create',
  attributes: { action: 'create' },
});

/** Every permission the AI assistant defines; its backend registers them. */
export const aiAssistantPermissions = [aiPromptCreatePermission];
