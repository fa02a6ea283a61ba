/** The value of the service's label in OpenCost's allocations (aggregated by `label:<opencost.serviceLabelKey>`). */
export const SERVICE_LABEL_ANNOTATION = 'opencost/service-label';
/** Without a service label, a service is costed as the whole of its Kubernetes namespace. */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/** How a service is found among OpenCost's allocations. */
export type CostSource =
  | { aggregate: 'label'; name: string }
  | { aggregate: 'namespace'; name: string };

/** The allocation a service's costs are read from, or undefined when it has neither annotation. */
export function costSourceOf(
  annotations: Record<string, string> | undefined,
): CostSource | undefined {
  const label = annotations?.[SERVICE_LABEL_ANNOTATION]?.trim();
  if (label) return { aggregate: 'label', name: label };
  const namespace = annotations?.[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
  if (namespace) return { aggregate: 'namespace', name: namespace };
  return undefined;
}
