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
  };
}
