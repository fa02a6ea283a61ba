/**
 * Whether labels match a Kubernetes-style label selector of `key=value` (or `key==value`) terms, all of
 * which must hold: the only form the portal sends to Argo CD and Kubernetes. Other terms match nothing.
 */
export function matchesLabelSelector(
  labels: Record<string, string>,
  selector: string,
): boolean {
  return selector
    .split(',')
    .map(term => term.trim())
    .filter(Boolean)
    .every(term => {
      const match = /^([^=!\s]+)\s*==?\s*([^=\s]*)$/.exec(term);
      return match !== null && labels[match[1]] === match[2];
    });
}
