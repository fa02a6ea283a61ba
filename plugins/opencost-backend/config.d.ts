export interface Config {
  /** OpenCost, whose allocations the daily cost sync reads. */
  opencost?: {
    /** e.g. http://opencost.opencost.svc.cluster.local:9003 */
    baseUrl: string;
    /** The pod label OpenCost aggregates services by; opencost/service-label names its value. Default: app. */
    serviceLabelKey?: string;
    /** How long one OpenCost request may take, in milliseconds; default 30000. */
    timeoutMs?: number;
    /** Days fetched on the first sync; default 90. */
    backfillDays?: number;
    /** The currency OpenCost's prices are in; default USD. */
    currency?: string;
    /** A week-over-week or month-over-month change above this is flagged; default 0.2 (20 %). */
    trendThreshold?: number;
    /** Right-sizing keeps requests this far above peak usage; default 0.3 (30 %). */
    headroom?: number;
    /**
     * AWS Cost Explorer, read once a day for the cost of the resources tagged with each service's label,
     * and checked against OpenCost's allocation. Off when absent.
     */
    aws?: {
      /** Cost Explorer's endpoint; AWS's own when unset (the sandbox sets its emulator). */
      endpoint?: string;
      /** Default us-east-1, where Cost Explorer lives. */
      region?: string;
      /** The cost allocation tag whose value is the service label; default: serviceLabelKey. */
      tagKey?: string;
      /** UnblendedCost (default), AmortizedCost or NetUnblendedCost. */
      metric?: string;
      /** Differences above this are flagged and the owners notified; default 0.05 (5 %). */
      varianceThreshold?: number;
      /**
       * default-chain (default): AWS's provider chain, e.g. IRSA on EKS with a role allowed
       * ce:GetCostAndUsage. static: accessKeyId and secretAccessKey below (the sandbox).
       */
      credentialSource?: 'default-chain' | 'static';
      accessKeyId?: string;
      /** @visibility secret */
      secretAccessKey?: string;
    };
  };
}
