import { NotAllowedError } from '@backstage/errors';
import type { SecurityAuditEntry } from '@internal/plugin-security-node';

/** What the auditor service hands its log function (backend-defaults' AuditorEvent). */
export interface AuditorEventLike {
  plugin: string;
  eventId: string;
  actor: { actorId?: string };
  meta?: Record<string, unknown>;
  status: 'initiated' | 'succeeded' | 'failed';
  error?: Error;
}

/**
 * The security-trail entry for a scaffolder audit event, or undefined when the event is not a template
 * run: a run that finished (succeeded or failed) and a task creation the permission policy refused.
 */
export function securityEntryOfScaffolderEvent(
  event: AuditorEventLike,
): SecurityAuditEntry | undefined {
  if (
    event.plugin !== 'scaffolder' ||
    event.eventId !== 'task' ||
    event.status === 'initiated'
  ) {
    return undefined;
  }
  const meta = event.meta ?? {};
  const templateRef =
    typeof meta.templateRef === 'string' ? meta.templateRef : undefined;
  if (meta.actionType === 'execution') {
    return {
      actorRef: String(meta.createdBy ?? event.actor.actorId ?? 'unknown'),
      action: 'scaffolder.create',
      entityRef: templateRef,
      outcome: event.status === 'succeeded' ? 'succeeded' : 'failed',
      details: {
        taskId: meta.taskId,
        parameters: meta.taskParameters,
        ...(event.error ? { error: event.error.message } : {}),
      },
    };
  }
  if (
    meta.actionType === 'create' &&
    event.status === 'failed' &&
    event.error?.name === NotAllowedError.name
  ) {
    return {
      actorRef: event.actor.actorId ?? 'unknown',
      action: 'scaffolder.create',
      entityRef: templateRef,
      outcome: 'denied',
      details: { reason: event.error.message },
    };
  }
  return undefined;
}
