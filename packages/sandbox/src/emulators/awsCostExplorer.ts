import express from 'express';
import { DemoCatalog } from '../demoCatalog';
import { SANDBOX_CREDENTIALS } from '../credentials';
import { seededFraction, sandboxToday } from '../seeded';
import { allocation } from './opencost';

const DAY_MS = 86_400_000;
/**
 * AWS bills it 14 % more than OpenCost allocates: the S3 bucket of rendered PDFs is tagged with its label
 * but lives outside the cluster OpenCost sees.
 */
export const AWS_VARIANCE_SERVICE = 'pdf-renderer';
/** Days per page, so the portal has to follow NextPageToken as it must with the real service. */
const DAYS_PER_PAGE = 20;

class CostExplorerError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

function dayOf(value: unknown, field: string): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(value)) {
    throw new CostExplorerError(
      'ValidationException',
      `${field} must be a date in the form YYYY-MM-DD`,
    );
  }
  return new Date(`${value}T00:00:00Z`);
}

/**
 * AWS Cost Explorer's GetCostAndUsage (JSON 1.1 protocol, as @aws-sdk/client-cost-explorer speaks it),
 * DAILY granularity grouped by one cost allocation tag: the AWS bill of the resources tagged with each
 * service's label. Within 1.5 % of what OpenCost allocates, except for AWS_VARIANCE_SERVICE. Requests
 * must be SigV4-signed with the sandbox's access key (the signature itself is not checked).
 */
export function awsCostExplorerEmulator(catalog: DemoCatalog) {
  const app = express();
  const costed = catalog.components.filter(
    c => c.annotations['opencost/service-label'],
  );
  app.post(
    '/',
    express.json({ type: () => true, limit: '64kb' }),
    (req, res) => {
      const reply = (status: number, body: unknown) =>
        res
          .status(status)
          .type('application/x-amz-json-1.1')
          .send(JSON.stringify(body));
      try {
        if (
          !String(req.headers.authorization ?? '').includes(
            `Credential=${SANDBOX_CREDENTIALS.awsAccessKeyId}/`,
          )
        ) {
          throw new CostExplorerError(
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
            403,
          );
        }
        const target = String(req.headers['x-amz-target'] ?? '');
        if (target !== 'AWSInsightsIndexService.GetCostAndUsage') {
          throw new CostExplorerError(
            'UnknownOperationException',
            `The sandbox serves GetCostAndUsage only, not ${
              target || 'nothing'
            }`,
          );
        }
        const body = req.body ?? {};
        const start = dayOf(body.TimePeriod?.Start, 'TimePeriod.Start');
        const end = dayOf(body.TimePeriod?.End, 'TimePeriod.End');
        if (end <= start) {
          throw new CostExplorerError(
            'ValidationException',
            'Start date (inclusive) must be before end date (exclusive)',
          );
        }
        if (body.Granularity !== 'DAILY') {
          throw new CostExplorerError(
            'ValidationException',
            'The sandbox serves DAILY granularity only',
          );
        }
        const metric = body.Metrics?.[0];
        if (
          !['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost'].includes(
            metric,
          )
        ) {
          throw new CostExplorerError(
            'ValidationException',
            `Unsupported metric ${metric}`,
          );
        }
        const group = body.GroupBy?.[0];
        if (group?.Type !== 'TAG' || typeof group.Key !== 'string') {
          throw new CostExplorerError(
            'ValidationException',
            'The sandbox groups by one cost allocation tag (GroupBy [{Type: TAG, Key}])',
          );
        }
        const today = sandboxToday();
        const pageStart = body.NextPageToken
          ? new Date(Number(body.NextPageToken))
          : start;
        const pageEnd = new Date(
          Math.min(end.getTime(), pageStart.getTime() + DAYS_PER_PAGE * DAY_MS),
        );
        const results = [];
        for (let t = pageStart.getTime(); t < pageEnd.getTime(); t += DAY_MS) {
          const day = new Date(t);
          const iso = day.toISOString().slice(0, 10);
          // Cost Explorer has nothing for today or later yet.
          const groups =
            t >= today.getTime()
              ? []
              : costed.map(component => {
                  const label = component.annotations['opencost/service-label'];
                  const allocated = allocation(
                    component,
                    day,
                    new Date(t + DAY_MS),
                    today,
                  ).totalCost;
                  const billed =
                    label === AWS_VARIANCE_SERVICE
                      ? 1.14
                      : 0.985 + 0.03 * seededFraction(label, 'aws', iso);
                  return {
                    Keys: [`${group.Key}$${label}`],
                    Metrics: {
                      [metric]: {
                        Amount: (allocated * billed).toFixed(10),
                        Unit: 'USD',
                      },
                    },
                  };
                });
          results.push({
            TimePeriod: {
              Start: iso,
              End: new Date(t + DAY_MS).toISOString().slice(0, 10),
            },
            Total: {},
            Groups: groups,
            Estimated: t >= today.getTime() - DAY_MS,
          });
        }
        reply(200, {
          GroupDefinitions: [{ Type: 'TAG', Key: group.Key }],
          ResultsByTime: results,
          DimensionValueAttributes: [],
          ...(pageEnd < end
            ? { NextPageToken: String(pageEnd.getTime()) }
            : {}),
        });
      } catch (error) {
        const e =
          error instanceof CostExplorerError
            ? error
            : new CostExplorerError(
                'InternalServerException',
                String(error),
                500,
              );
        reply(e.status, { __type: e.type, message: e.message });
      }
    },
  );
  return app;
}
