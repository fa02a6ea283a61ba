import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  EntityWorkflow,
  isTerminal,
  N8N_RUNS_CHANNEL,
  N8N_WORKFLOWS_ANNOTATION,
  n8nWorkflowRunPermission,
  nextRunStatus,
  RunCallback,
  runStatusOfExecution,
  WorkflowAction,
  WorkflowRun,
  workflowNamesOf,
} from '@internal/plugin-n8n-common';
import {
  isSensitiveAction,
  ownerRefOf,
  SensitiveAction,
} from '@internal/plugin-security-common';
import {
  SecurityAccessService,
  SecurityAuditService,
  SecurityGrantService,
  SensitiveActionGate,
  SensitiveContentFilter,
} from '@internal/plugin-security-node';
import {
  N8nClient,
  N8nWorkflow,
  productionWebhookOf,
} from '../clients/N8nClient';
import { RunStore, RunUpdate, StoredRun } from '../database/RunStore';
import { ConfiguredAction, N8nConfig } from './readN8nConfig';

export interface Caller {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  userRef: string;
}

/** 400 with each field's problem, so a form can show it beside the field. */
export class InputFieldsError extends InputError {
  constructor(message: string, readonly fields: Record<string, string>) {
    super(message);
  }
}

/** Input larger than this (as JSON) is refused before anything else. */
const MAX_INPUT_BYTES = 16_384;
/** How long a replica reuses n8n's list of workflows. */
const WORKFLOWS_TTL_MS = 60_000;
const RUNS_SHOWN_PER_WORKFLOW = 3;

export interface RunServiceOptions {
  config: N8nConfig;
  store: RunStore;
  n8n: N8nClient;
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  permissions: PermissionsService;
  access: SecurityAccessService;
  audit: SecurityAuditService;
  grants: SecurityGrantService;
  filter: SensitiveContentFilter;
  signals: SignalsService;
  notifications: NotificationService;
  logger: LoggerService;
}

/**
 * Runs of self-service actions and entity workflows: who may start what (the security policy, approvals,
 * the entity's own n8n tags), the run's record (input redacted), its progress from n8n (the follower and
 * signed callbacks, any replica, each change fenced on the status it moves from), and what it leaves
 * behind (a notification, an audit record, a grant for an approved access request).
 */
export class RunService {
  private readonly gate: SensitiveActionGate;
  private workflows?: { at: number; list: Promise<N8nWorkflow[]> };

  constructor(private readonly options: RunServiceOptions) {
    this.gate = new SensitiveActionGate(
      options.permissions,
      options.access,
      options.audit,
    );
  }

  listActions(): WorkflowAction[] {
    return this.options.config.actions.map(
      ({ validate: _validate, requiresMembership: _membership, ...action }) =>
        action,
    );
  }

  async startAction(
    caller: Caller,
    actionId: string,
    input: Record<string, unknown>,
  ): Promise<WorkflowRun> {
    const prepared = await this.prepareAction(caller, actionId, input, {
      useApproval: true,
    });
    return this.startRun(caller, {
      kind: 'action',
      actionId: prepared.action.id,
      title: prepared.action.title,
      workflow: prepared.workflow,
      entityRef: prepared.entityRef,
      input,
    });
  }

  /**
   * Every check a start makes (input, entity, permission, approval, workflow) without starting anything or
   * using an approval up: what an agent proposes for the person to confirm in the portal.
   */
  async checkAction(
    caller: Caller,
    actionId: string,
    input: Record<string, unknown>,
  ): Promise<{ entityRef?: string; requiresApproval: boolean }> {
    const prepared = await this.prepareAction(caller, actionId, input, {
      useApproval: false,
    });
    return {
      ...(prepared.entityRef ? { entityRef: prepared.entityRef } : {}),
      requiresApproval: prepared.requiresApproval,
    };
  }

  private async prepareAction(
    caller: Caller,
    actionId: string,
    input: Record<string, unknown>,
    options: { useApproval: boolean },
  ) {
    const action = this.options.config.actions.find(a => a.id === actionId);
    if (!action) {
      throw new NotFoundError(`No self-service action ${actionId}`);
    }
    if (JSON.stringify(input).length > MAX_INPUT_BYTES) {
      throw new InputError(
        `The input is larger than ${MAX_INPUT_BYTES} bytes; shorten the text fields`,
      );
    }
    this.validateInput(action, input);
    if (action.grantsAccess && !isSensitiveAction(String(input.access))) {
      throw new InputFieldsError('The input has problems', {
        '/access': 'must be one of the portal’s sensitive actions',
      });
    }
    // Before any approval is used up: a workflow n8n cannot run would waste it.
    const workflow = await this.activeWorkflow(action.workflow);
    let entityRef: string | undefined;
    let requiresApproval = false;
    if (action.entityField) {
      const entity = await this.visibleEntity(
        caller,
        String(input[action.entityField]),
        action.entityField,
      );
      entityRef = stringifyEntityRef(entity);
      requiresApproval = await this.requireMayStart(
        caller,
        action,
        entityRef,
        options.useApproval,
      );
    }
    return { action, entityRef, workflow, requiresApproval };
  }

  async listEntityWorkflows(
    caller: Caller,
    entityRef: string,
  ): Promise<EntityWorkflow[]> {
    const entity = await this.visibleEntity(caller, entityRef, 'entityRef');
    const ref = stringifyEntityRef(entity);
    const names = workflowNamesOf(
      entity.metadata.annotations?.[N8N_WORKFLOWS_ANNOTATION],
    );
    if (names.length === 0) return [];
    const [workflows, access, runs] = await Promise.all([
      this.workflowList().catch(() => undefined),
      this.options.access.validate(caller.userRef, 'n8n.run', ref),
      this.options.store.lastRunsOf(ref, names, RUNS_SHOWN_PER_WORKFLOW),
    ]);
    return names.map(name => {
      const workflow = workflows?.find(w => w.name === name);
      const lastRuns = runs.filter(run => run.workflow === name).map(publicRun);
      const why = workflows
        ? whyNotRunnable(workflow, entity, name, this.actionWorkflows())
        : 'n8n cannot be reached; try again shortly';
      const reason = why ?? accessNote(access);
      return {
        name,
        ...(workflow ? { id: workflow.id, active: workflow.active } : {}),
        runnable: why === undefined && access.allowed,
        ...(reason ? { reason } : {}),
        lastRuns,
      };
    });
  }

  async startEntityWorkflow(
    caller: Caller,
    entityRef: string,
    workflowName: string,
  ): Promise<WorkflowRun> {
    const entity = await this.visibleEntity(caller, entityRef, 'entityRef');
    const ref = stringifyEntityRef(entity);
    const names = workflowNamesOf(
      entity.metadata.annotations?.[N8N_WORKFLOWS_ANNOTATION],
    );
    if (!names.includes(workflowName)) {
      throw new InputError(
        `${workflowName} is not among ${ref}'s ${N8N_WORKFLOWS_ANNOTATION} (${
          names.join(', ') || 'none'
        })`,
      );
    }
    const workflow = (await this.workflowList()).find(
      w => w.name === workflowName,
    );
    const why = whyNotRunnable(
      workflow,
      entity,
      workflowName,
      this.actionWorkflows(),
    );
    if (why) throw new ConflictError(why);
    await this.requireRun(caller, ref, 'n8n.run', false, true);
    return this.startRun(caller, {
      kind: 'entity-workflow',
      title: workflowName,
      workflow: workflow!,
      entityRef: ref,
      input: { entityRef: ref },
    });
  }

  /** The caller's runs; an entity's workflow runs for whoever may read it; everyone's for admins. */
  async listRuns(
    caller: Caller,
    query: { entityRef?: string; all: boolean; limit: number },
  ): Promise<WorkflowRun[]> {
    if (query.entityRef) {
      const entity = await this.visibleEntity(
        caller,
        query.entityRef,
        'entityRef',
      );
      const runs = await this.options.store.list({
        entityRef: stringifyEntityRef(entity),
        limit: query.limit,
      });
      return runs
        .filter(
          run =>
            run.kind === 'entity-workflow' ||
            run.requestedBy === caller.userRef,
        )
        .map(publicRun);
    }
    if (query.all) {
      await this.requireAdmin(caller, 'see everyone’s runs');
      return (await this.options.store.list({ limit: query.limit })).map(
        publicRun,
      );
    }
    return (
      await this.options.store.list({
        requestedBy: caller.userRef,
        limit: query.limit,
      })
    ).map(publicRun);
  }

  async getRun(caller: Caller, id: string): Promise<WorkflowRun> {
    const run = await this.options.store.get(id);
    if (run && (await this.maySee(caller, run))) {
      return publicRun(run);
    }
    throw new NotFoundError(`No workflow run ${id}`);
  }

  /** One pass of the follower: every unfinished run checked against n8n once. */
  async followUnfinished(): Promise<{ checked: number; changed: number }> {
    const runs = await this.options.store.unfinished(200);
    let changed = 0;
    const timeoutMs = this.options.config.runTimeoutMinutes * 60_000;
    for (const run of runs) {
      try {
        if (Date.now() - Date.parse(run.createdAt) > timeoutMs) {
          changed += Number(
            await this.apply(run, {
              from: run.status,
              status: 'failed',
              error: `n8n did not finish this run within ${this.options.config.runTimeoutMinutes} minutes`,
            }),
          );
          continue;
        }
        const executionId = run.executionId ?? (await this.findExecution(run));
        if (!executionId) continue;
        const execution = await this.options.n8n.getExecution(executionId);
        const status = nextRunStatus(
          run.status,
          runStatusOfExecution(execution.status),
        );
        if (status !== run.status || !run.executionId) {
          changed += Number(
            await this.apply(run, {
              from: run.status,
              status,
              executionId,
              ...(status === 'failed' || status === 'canceled'
                ? {
                    error: `n8n execution ${executionId} ended ${execution.status}`,
                  }
                : {}),
            }),
          );
        }
      } catch (error) {
        this.options.logger.warn(
          `Could not follow n8n run ${run.id}: ${(error as Error).message}`,
        );
      }
    }
    return { checked: runs.length, changed };
  }

  /** A verified callback: the run's result, and the grant an approved access request asks for. */
  async reportResult(callback: RunCallback): Promise<WorkflowRun> {
    const run = await this.options.store.get(callback.runId);
    if (!run) {
      throw new NotFoundError(`No workflow run ${callback.runId}`);
    }
    const result = callback.result
      ? await this.redactObject(callback.result)
      : undefined;
    const update: RunUpdate = {
      from: run.status,
      status: nextRunStatus(run.status, callback.status),
      ...(callback.executionId ? { executionId: callback.executionId } : {}),
      ...(result ? { result } : {}),
      ...(callback.error
        ? { error: (await this.options.filter.filter(callback.error)).text }
        : {}),
    };
    if (callback.status === 'success' && callback.grant) {
      update.grantId = await this.grantAccess(run, {
        ...callback,
        grant: callback.grant,
      });
    }
    const updated = await this.apply(run, update);
    if (!updated) {
      // Another replica moved the run on meanwhile: apply the result on top of what it recorded.
      const latest = (await this.options.store.get(run.id))!;
      await this.apply(latest, {
        ...update,
        from: latest.status,
        status: nextRunStatus(latest.status, callback.status),
      });
    }
    return publicRun((await this.options.store.get(run.id))!);
  }

  private async grantAccess(
    run: StoredRun,
    callback: RunCallback & { grant: { hours: number } },
  ): Promise<string> {
    const action = this.options.config.actions.find(a => a.id === run.actionId);
    if (!action?.grantsAccess || !run.entityRef) {
      throw new InputError(
        `Run ${run.id} is not an access request; it cannot grant access`,
      );
    }
    if (run.status === 'failed' || run.status === 'canceled') {
      throw new ConflictError(
        `Run ${run.id} already ended ${run.status}; request access again`,
      );
    }
    const hours = callback.grant.hours;
    const requested = Number(run.input.hours);
    if (!(hours <= requested)) {
      throw new InputError(
        `The grant is for ${hours} hours; the request asked for ${requested}`,
      );
    }
    await this.requireGrantingExecution(run, callback.executionId);
    const access = String(run.input.access);
    if (!isSensitiveAction(access)) {
      throw new InputError(`Run ${run.id} asked for unknown access ${access}`);
    }
    const { grant } = await this.options.grants.recordGrant({
      user: run.requestedBy,
      action: access,
      entityRef: run.entityRef,
      hours,
      reason: `${action.title}: ${String(run.input.reason ?? '')}`.slice(
        0,
        2000,
      ),
      source: `n8n:run:${run.id}`,
    });
    return grant.id;
  }

  /**
   * Every workflow's last step holds the callback secret, so a signature alone does not prove that the
   * access-request workflow approved this run: n8n itself must say that the execution is of the run's
   * workflow and was started for this run.
   */
  private async requireGrantingExecution(
    run: StoredRun,
    executionId: string | undefined,
  ) {
    if (!executionId || (run.executionId && run.executionId !== executionId)) {
      throw new InputError(
        `A grant needs the executionId of run ${run.id}'s own n8n execution; no access is granted`,
      );
    }
    const execution = await this.options.n8n.getExecution(executionId, {
      includeData: true,
    });
    if (
      String(execution.workflowId) !== run.workflowId ||
      !JSON.stringify(execution.data ?? '').includes(run.id)
    ) {
      throw new InputError(
        `n8n execution ${executionId} is not run ${run.id} of ${run.workflow}; no access is granted`,
      );
    }
  }

  /** Applies an update fenced on the run's status; tells the requester what changed. */
  private async apply(run: StoredRun, update: RunUpdate): Promise<boolean> {
    const updated = await this.options.store.update(run.id, update);
    if (!updated) return false;
    await this.options.signals.publish({
      recipients: { type: 'user', entityRef: updated.requestedBy },
      channel: N8N_RUNS_CHANNEL,
      message: { runId: updated.id, status: updated.status },
    });
    if (isTerminal(updated.status) && !isTerminal(run.status)) {
      await this.finished(updated);
    }
    return true;
  }

  private async finished(run: StoredRun) {
    const title = this.titleOf(run);
    const failed = run.status !== 'success';
    await Promise.all([
      this.options.notifications.send({
        recipients: { type: 'entity', entityRef: run.requestedBy },
        payload: {
          title: `${title}: ${run.status}`,
          description: failed
            ? run.error ?? `The workflow ${run.workflow} did not succeed`
            : String(
                run.result?.message ?? `The workflow ${run.workflow} finished`,
              ),
          link: '/workflows',
          severity: failed ? 'high' : 'normal',
          topic: 'n8n',
        },
      }),
      this.options.audit.record({
        actorRef: run.requestedBy,
        action: 'n8n.run',
        entityRef: run.entityRef,
        outcome: failed ? 'failed' : 'succeeded',
        details: {
          step: run.status,
          run: run.id,
          workflow: run.workflow,
          action: run.actionId,
          execution: run.executionId,
          error: run.error,
        },
      }),
    ]).catch(error =>
      this.options.logger.warn(
        `Could not report the end of n8n run ${run.id}: ${
          (error as Error).message
        }`,
      ),
    );
  }

  private actionWorkflows(): string[] {
    return this.options.config.actions.map(action => action.workflow);
  }

  private titleOf(run: StoredRun): string {
    return (
      this.options.config.actions.find(a => a.id === run.actionId)?.title ??
      run.workflow
    );
  }

  private async startRun(
    caller: Caller,
    run: {
      kind: WorkflowRun['kind'];
      actionId?: string;
      title: string;
      workflow: N8nWorkflow;
      entityRef?: string;
      input: Record<string, unknown>;
    },
  ): Promise<WorkflowRun> {
    const stored = await this.options.store.create({
      kind: run.kind,
      actionId: run.actionId,
      workflowId: run.workflow.id,
      workflowName: run.workflow.name,
      entityRef: run.entityRef,
      requestedBy: caller.userRef,
      input: await this.redactObject(run.input),
    });
    let executionId: string | undefined;
    try {
      ({ executionId } = await this.options.n8n.trigger(run.workflow, {
        runId: stored.id,
        action: run.actionId,
        workflow: run.workflow.name,
        entityRef: run.entityRef,
        requestedBy: caller.userRef,
        input: run.input,
        callbackUrl: await this.callbackUrl(),
      }));
    } catch (error) {
      const { text: reason } = await this.options.filter.filter(
        (error as Error).message,
      );
      const message = `n8n did not start ${run.workflow.name}: ${reason}`;
      await this.apply(stored, {
        from: 'pending',
        status: 'failed',
        error: message,
      });
      throw new ServiceUnavailableError(`${message}; try again shortly`);
    }
    await this.options.audit.record({
      actorRef: caller.userRef,
      action: 'n8n.run',
      entityRef: run.entityRef,
      outcome: 'succeeded',
      details: {
        step: 'started',
        run: stored.id,
        workflow: run.workflow.name,
        action: run.actionId,
        input: stored.input,
      },
    });
    if (executionId) {
      await this.apply(stored, {
        from: 'pending',
        status: 'running',
        executionId,
      });
    }
    return publicRun((await this.options.store.get(stored.id))!);
  }

  private async callbackUrl(): Promise<string | undefined> {
    const callback = this.options.config.callback;
    if (!callback) return undefined;
    return (
      callback.url ??
      `${await this.options.discovery.getExternalBaseUrl('n8n')}/callback`
    );
  }

  private validateInput(action: ConfiguredAction, input: unknown) {
    if (action.validate(input)) return;
    const fields: Record<string, string> = {};
    for (const error of action.validate.errors ?? []) {
      const field =
        error.keyword === 'required'
          ? `${error.instancePath}/${error.params.missingProperty}`
          : error.instancePath || '/';
      fields[field] ??= error.message ?? 'is not valid';
    }
    throw new InputFieldsError(
      `The input has problems: ${Object.entries(fields)
        .map(([field, message]) => `${field} ${message}`)
        .join('; ')}`,
      fields,
    );
  }

  /** The entity as the caller sees it; a hidden one is as missing as one that does not exist. */
  private async visibleEntity(
    caller: Caller,
    value: string,
    field: string,
  ): Promise<Entity> {
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(value, { defaultKind: 'component' }),
      );
    } catch {
      throw new InputFieldsError(
        `${field} "${value}" is not an entity ref; use e.g. component:default/invoice-service`,
        { [`/${field}`]: 'must be an entity ref' },
      );
    }
    let entity: Entity | undefined;
    try {
      entity = await this.options.catalog.getEntityByRef(ref, {
        credentials: caller.credentials,
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not be asked about ${ref}; try again shortly (${
          (error as Error).message
        })`,
      );
    }
    if (!entity) {
      throw new NotFoundError(
        `No entity ${ref} in the catalog, or you may not see it`,
      );
    }
    return entity;
  }

  /** Whether the action may start on the entity; true when it needs an approval (used up when asked to). */
  private async requireMayStart(
    caller: Caller,
    action: ConfiguredAction,
    entityRef: string,
    useApproval: boolean,
  ): Promise<boolean> {
    if (action.requiresMembership) {
      const subject = await this.options.access.subjectOf(caller.userRef);
      const member = subject.groups.includes(
        entityRef.toLocaleLowerCase('en-US'),
      );
      if (!member && subject.role !== 'admin') {
        const reason = `only members of ${entityRef} and admins may ${action.title.toLocaleLowerCase(
          'en-US',
        )}`;
        await this.options.audit.record({
          actorRef: caller.userRef,
          action: 'n8n.run',
          entityRef,
          outcome: 'denied',
          details: { action: action.id, reason },
        });
        throw new NotAllowedError(
          `You may not start ${action.title}: ${reason}`,
        );
      }
    }
    if (!action.permission) return false;
    return this.requireRun(
      caller,
      entityRef,
      action.permission,
      action.requiresApproval ?? false,
      useApproval,
    );
  }

  /**
   * The policy's permission and decision on the entity, and the approval it (or the action) asks for, used
   * up when `useApproval`; true when an approval is needed.
   */
  private async requireRun(
    caller: Caller,
    entityRef: string,
    action: SensitiveAction,
    alwaysApproval: boolean,
    useApproval: boolean,
  ): Promise<boolean> {
    const request = {
      credentials: caller.credentials,
      permission: n8nWorkflowRunPermission,
      action,
      entityRef,
    };
    const decision = await this.gate.require(
      request,
      `You may not run workflows for ${entityRef}`,
    );
    const needsApproval = Boolean(decision.requiresApproval) || alwaysApproval;
    if (needsApproval && useApproval) {
      await this.gate.consumeApproval(
        request,
        {
          ...decision,
          approvers: decision.approvers ?? ['the owners of the service'],
        },
        {
          reason: 'no approval to run the workflow',
          message: approvers =>
            `Running this workflow for ${entityRef} needs an approval from ${approvers}: request one on the Access & approvals page, then try again`,
        },
      );
    }
    return needsApproval;
  }

  private async requireAdmin(caller: Caller, what: string) {
    const subject = await this.options.access.subjectOf(caller.userRef);
    if (subject.role !== 'admin') {
      throw new NotAllowedError(`Only admins may ${what}`);
    }
  }

  private async maySee(caller: Caller, run: StoredRun): Promise<boolean> {
    if (run.requestedBy === caller.userRef) return true;
    if (run.kind === 'entity-workflow' && run.entityRef) {
      const entity = await this.options.catalog
        .getEntityByRef(run.entityRef, { credentials: caller.credentials })
        .catch(() => undefined);
      if (entity) return true;
    }
    const subject = await this.options.access.subjectOf(caller.userRef);
    return subject.role === 'admin';
  }

  private async redactObject(
    value: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const { text } = await this.options.filter.filter(JSON.stringify(value));
    try {
      return JSON.parse(text);
    } catch {
      // Redaction cut through JSON syntax: keep the text, never the original.
      return { redacted: text };
    }
  }

  /** n8n's workflows, reused for a minute on this replica. */
  private workflowList(): Promise<N8nWorkflow[]> {
    if (!this.workflows || Date.now() - this.workflows.at > WORKFLOWS_TTL_MS) {
      const list = this.options.n8n.listWorkflows();
      this.workflows = { at: Date.now(), list };
      list.catch(() => {
        this.workflows = undefined;
      });
    }
    return this.workflows.list;
  }

  private async activeWorkflow(nameOrId: string): Promise<N8nWorkflow> {
    const list = await this.workflowList();
    const summary = list.find(w => w.id === nameOrId || w.name === nameOrId);
    if (!summary) {
      throw new ConflictError(
        `n8n has no workflow ${nameOrId}; ask the platform team to import it`,
      );
    }
    if (!summary.active || summary.isArchived) {
      throw new ConflictError(
        `The n8n workflow ${summary.name} is not active, so its webhook is off`,
      );
    }
    const why = webhookProblem(summary);
    if (why) throw new ConflictError(why);
    return summary;
  }

  /** A run whose webhook did not say its execution: found by the run id in the execution's trigger data. */
  private async findExecution(run: StoredRun): Promise<string | undefined> {
    const executions = await this.options.n8n.listExecutions(run.workflowId, {
      includeData: true,
      limit: 20,
    });
    const found = executions.find(execution =>
      JSON.stringify(execution.data ?? '').includes(run.id),
    );
    return found ? String(found.id) : undefined;
  }
}

/** What the caller should know about their right to run: why not, or whose approval it needs. */
function accessNote(access: {
  allowed: boolean;
  reason?: string;
  requiresApproval?: boolean;
  approvers?: string[];
}): string | undefined {
  if (!access.allowed) return access.reason;
  if (access.requiresApproval) {
    return `needs an approval from ${access.approvers?.join(', ')}`;
  }
  return undefined;
}

function webhookProblem(workflow: N8nWorkflow): string | undefined {
  const webhook = productionWebhookOf(workflow, 'http://n8n/');
  if (!webhook)
    return `The n8n workflow ${workflow.name} has no Webhook trigger`;
  if (webhook.method !== 'POST') {
    return `The n8n workflow ${workflow.name}'s webhook takes ${webhook.method}; the portal sends POST`;
  }
  return undefined;
}

/**
 * Why a workflow an entity names cannot run for it. The annotation is the entity owner's to edit; the
 * workflow's tags are the platform team's in n8n: a workflow runs for an entity only if n8n tags it with
 * both the entity's name and its owning team's, so nobody can point the portal's n8n key at another team's
 * workflow by naming it (or by registering an entity named like one of its tags). The self-service actions'
 * workflows run only as actions, with their own input schema, membership and approval checks.
 */
function whyNotRunnable(
  workflow: N8nWorkflow | undefined,
  entity: Entity,
  name: string,
  actionWorkflows: string[],
): string | undefined {
  if (!workflow) return `n8n has no workflow ${name}`;
  if (
    actionWorkflows.includes(workflow.name) ||
    actionWorkflows.includes(workflow.id)
  ) {
    return `${name} is a self-service action: start it on the Workflows page`;
  }
  if (!workflow.active || workflow.isArchived) {
    return `the workflow ${name} is not active in n8n`;
  }
  const tags = new Set(
    (workflow.tags ?? []).map(tag => tag.name.toLocaleLowerCase('en-US')),
  );
  const entityName = entity.metadata.name.toLocaleLowerCase('en-US');
  const ownerName = ownerRefOf(entity)?.split('/').pop();
  if (!tags.has(entityName) || !ownerName || !tags.has(ownerName)) {
    return `n8n does not tag ${name} with ${
      entity.metadata.name
    } and its owner ${ownerName ?? '(none)'}, so it may not run for it`;
  }
  return webhookProblem(workflow);
}

function publicRun({
  workflowId: _workflowId,
  ...run
}: StoredRun): WorkflowRun {
  return run;
}
