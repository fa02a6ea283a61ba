import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { DefaultAuditorService } from '@backstage/backend-defaults/auditor';
import { toError } from '@backstage/errors';
import { securityAuditServiceRef } from '@internal/plugin-security-node';
import { securityEntryOfScaffolderEvent } from './scaffolderRunAudit';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const DEFAULT_LEVELS: Record<string, LogLevel> = {
  low: 'debug',
  medium: 'info',
  high: 'info',
  critical: 'info',
};

/**
 * The auditor service as backend-defaults provides it (audit events as log lines, levels from
 * backend.auditor.severityLogLevelMappings), plus: every template run the scaffolder audits also goes to
 * the security plugin's audit trail, with who ran which template, its parameters (redacted there) and
 * how it ended, next to the portal's other sensitive actions.
 */
export const auditorServiceFactory = createServiceFactory({
  service: coreServices.auditor,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    auth: coreServices.auth,
    httpAuth: coreServices.httpAuth,
    plugin: coreServices.pluginMetadata,
    securityAudit: securityAuditServiceRef,
  },
  factory({ config, logger, plugin, auth, httpAuth, securityAudit }) {
    const auditLogger = logger.child({ isAuditEvent: true });
    const levels = { ...DEFAULT_LEVELS };
    for (const severity of Object.keys(DEFAULT_LEVELS)) {
      const level = config.getOptionalString(
        `backend.auditor.severityLogLevelMappings.${severity}`,
      );
      if (level) levels[severity] = level as LogLevel;
    }
    return DefaultAuditorService.create(
      async event => {
        const level = levels[event.severityLevel] ?? 'info';
        if ('error' in event) {
          const { error, ...rest } = event;
          auditLogger
            .child(rest)
            [level](`${event.plugin}.${event.eventId}`, error);
        } else {
          auditLogger[level](`${event.plugin}.${event.eventId}`, event);
        }
        const entry = securityEntryOfScaffolderEvent(event);
        if (entry) {
          // A trail outage must not fail the run it describes; the log line above still has it.
          await securityAudit
            .record(entry)
            .catch(error =>
              logger.warn(
                `Could not record ${entry.action} of ${
                  entry.actorRef
                } in the security trail: ${toError(error).message}`,
              ),
            );
        }
      },
      { plugin, auth, httpAuth },
    );
  },
});
