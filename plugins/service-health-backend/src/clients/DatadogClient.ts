import { upstreamJson } from '@internal/upstream-fetch';

/** The parts of a Datadog monitor the portal reads. */
export interface DatadogMonitor {
  id: number;
  name: string;
  overall_state?: string;
  modified?: string;
  overall_state_modified?: string;
  priority?: number | null;
}

export interface DatadogClientOptions {
  apiBaseUrl: string;
  apiKey: string;
  appKey: string;
  timeoutMs?: number;
}

/** Datadog's API with the API and application keys; the keys never reach the browser. */
export class DatadogClient {
  constructor(private readonly options: DatadogClientOptions) {}

  monitorsTagged(tag: string): Promise<DatadogMonitor[]> {
    return upstreamJson({
      upstream: 'Datadog',
      url: `${this.options.apiBaseUrl.replace(
        /\/+$/,
        '',
      )}/api/v1/monitor?monitor_tags=${encodeURIComponent(tag)}`,
      init: {
        headers: {
          'dd-api-key': this.options.apiKey,
          'dd-application-key': this.options.appKey,
        },
      },
      timeoutMs: this.options.timeoutMs,
    });
  }

  /** The monitor in Datadog's UI, on the app host of the API host (api.datadoghq.eu → app.datadoghq.eu). */
  monitorUrl(id: number) {
    const host = this.options.apiBaseUrl
      .replace(/\/+$/, '')
      .replace('//api.', '//app.');
    return `${host}/monitors/${id}`;
  }
}
