/** The n8n workflows (by name, comma-separated) an entity's page offers to run for it. */
export const N8N_WORKFLOWS_ANNOTATION = 'n8n/workflows';

/** The workflow names an annotation value lists, trimmed, without duplicates or blanks. */
export function workflowNamesOf(annotation: string | undefined): string[] {
  return [
    ...new Set(
      (annotation ?? '')
        .split(',')
        .map(name => name.trim())
        .filter(Boolean),
    ),
  ];
}
