/**
 * The credentials the emulators accept. app-config.yaml uses the same values; they are
 * not secrets, and the production config never points at the sandbox.
 */
export const SANDBOX_CREDENTIALS = {
  githubToken: 'sandbox-github-token',
  argocdToken: 'sandbox-argocd-token',
  n8nApiKey: 'sandbox-n8n-api-key',
  n8nCallbackSecret: 'sandbox-n8n-callback-secret',
  feishuAppId: 'cli_sandbox0000000001',
  feishuAppSecret: 'sandbox-feishu-app-secret',
  llmApiKey: 'sandbox-llm-api-key',
  datadogApiKey: 'sandbox-datadog-api-key',
  datadogAppKey: 'sandbox-datadog-app-key',
  kubernetesToken: 'sandbox-kubernetes-token',
  sentryToken: 'sandbox-sentry-token',
  awsAccessKeyId: 'AKIASANDBOX000000000',
  awsSecretAccessKey: 'sandbox-aws-secret-access-key',
} as const;

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^(?:Bearer|token)\s+(.+)$/i.exec(header ?? '');
  return match?.[1];
}
