import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ApprovalStore } from '../database/ApprovalStore';
import { AuditStore } from '../database/AuditStore';
import { SecurityConfig } from '../config/readSecurityConfig';

const DAY_MS = 86_400_000;

/** Cut-off dates: contractors' records follow the contractor policy's dataRetentionDays. */
export function retentionCutoffs(config: SecurityConfig, now: Date) {
  return {
    contractorsBefore: new Date(
      now.getTime() -
        config.contractorPolicy.permissions.dataRetentionDays * DAY_MS,
    ),
    othersBefore: new Date(now.getTime() - config.auditRetentionDays * DAY_MS),
  };
}

/** Hourly, on one replica at a time: drop audit records past retention and expire stale approvals. */
export async function scheduleRetention(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  auditStore: AuditStore;
  approvalStore: ApprovalStore;
  config: SecurityConfig;
}) {
  const { scheduler, logger, auditStore, approvalStore, config } = options;
  await scheduler.scheduleTask({
    id: 'security-retention',
    frequency: { hours: 1 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const deleted = await auditStore.deleteOlderThan(
        retentionCutoffs(config, new Date()),
      );
      const expired = await approvalStore.expire();
      logger.info(
        `Retention: deleted ${deleted} audit records, expired ${expired} approval requests`,
      );
    },
  });
}
