import { AuditorService } from '@backstage/backend-plugin-api';
import {
  AuditOutcome,
  AuditRecord,
  isContractorRole,
  RedactionResult,
} from '@internal/plugin-security-common';
import { JsonObject } from '@backstage/types';
import { AuditQuery, AuditPage, AuditStore } from '../database/AuditStore';
import { RoleResolver } from './RoleResolver';

export interface AuditEntry {
  actorRef: string;
  action: string;
  entityRef?: string;
  outcome: AuditOutcome;
  /** Free-form details; every string in them is redacted before it is stored. */
  details?: Record<string, unknown>;
  plugin: string;
}

type Redact = (text: string) => Promise<RedactionResult>;

async function redactDeep(
  value: unknown,
  redact: Redact,
  path: string,
  findings: Array<{ path: string; kind: string; offset: number }>,
): Promise<unknown> {
  if (typeof value === 'string') {
    const result = await redact(value);
    findings.push(
      ...result.findings.map(f => ({ path, kind: f.kind, offset: f.offset })),
    );
    return result.text;
  }
  if (Array.isArray(value)) {
    return Promise.all(
      value.map((item, i) =>
        redactDeep(item, redact, `${path}[${i}]`, findings),
      ),
    );
  }
  if (value && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(
        async ([key, item]) =>
          [
            key,
            await redactDeep(
              item,
              redact,
              path ? `${path}.${key}` : key,
              findings,
            ),
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * Records sensitive operations twice: through Backstage's auditor service (logs, SIEM) and in the
 * append-only audit table admins query. Details are redacted first, so prompts and responses are
 * stored only without secrets.
 */
export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly auditor: AuditorService,
    private readonly roles: RoleResolver,
    private readonly redact: Redact,
  ) {}

  async record(entry: AuditEntry): Promise<AuditRecord> {
    const findings: Array<{ path: string; kind: string; offset: number }> = [];
    const details = (await redactDeep(
      entry.details ?? {},
      this.redact,
      '',
      findings,
    )) as Record<string, unknown>;
    const actorIsContractor = entry.actorRef.startsWith('user:')
      ? isContractorRole((await this.roles.subjectOf(entry.actorRef)).role)
      : false;
    const record = await this.store.append({
      actorRef: entry.actorRef,
      actorIsContractor,
      action: entry.action,
      entityRef: entry.entityRef,
      outcome: entry.outcome,
      details:
        findings.length > 0 ? { ...details, redactions: findings } : details,
      plugin: entry.plugin,
    });
    const event = await this.auditor.createEvent({
      eventId: entry.action.replace(/[^a-z0-9-]/gi, '-'),
      severityLevel: entry.outcome === 'denied' ? 'medium' : 'low',
      meta: {
        auditRecordId: record.id,
        actorRef: entry.actorRef,
        plugin: entry.plugin,
        ...(entry.entityRef ? { entityRef: entry.entityRef } : {}),
      } as JsonObject,
    });
    if (entry.outcome === 'succeeded') {
      await event.success();
    } else {
      await event.fail({
        error: new Error(`${entry.action} ${entry.outcome}`),
      });
    }
    return record;
  }

  query(query: AuditQuery): Promise<AuditPage> {
    return this.store.query(query);
  }
}
