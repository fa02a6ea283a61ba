/** The entity annotations each signal is read by; a card whose annotation is missing says which to add. */
export const SIGNAL_ANNOTATIONS = {
  deployments: ['argocd/app-selector', 'argocd/app-name'],
  monitors: ['datadog/dashboard-url'],
  errors: ['sentry/project-slug'],
  changes: ['github.com/project-slug'],
} as const;

export type Signal = keyof typeof SIGNAL_ANNOTATIONS;

export const SIGNALS = Object.keys(SIGNAL_ANNOTATIONS) as Signal[];

/** The first annotation of the signal the entity has, with its value. */
export function signalAnnotation(
  annotations: Record<string, string> | undefined,
  signal: Signal,
): { name: string; value: string } | undefined {
  for (const name of SIGNAL_ANNOTATIONS[signal]) {
    const value = annotations?.[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}
