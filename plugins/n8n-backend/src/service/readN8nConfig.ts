import { Config } from '@backstage/config';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { WorkflowAction } from '@internal/plugin-n8n-common';
import {
  isSensitiveAction,
  SENSITIVE_ACTION_KEYS,
  SensitiveAction,
} from '@internal/plugin-security-common';

export interface ConfiguredAction extends WorkflowAction {
  permission?: SensitiveAction;
  requiresMembership: boolean;
  /** Compiled once at startup; `errors` holds every field's problem after a failed call. */
  validate: ValidateFunction;
}

export interface N8nConfig {
  baseUrl: string;
  apiKey: string;
  webhookBaseUrl?: string;
  timeoutMs: number;
  followEverySeconds: number;
  runTimeoutMinutes: number;
  /** Without url, the callback is the plugin's external base URL (discovery) + /callback. */
  callback?: { secret: string; toleranceSeconds: number; url?: string };
  actions: ConfiguredAction[];
}

export class N8nConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid config at ${key}: ${problem}`);
    this.name = 'N8nConfigError';
  }
}

/** One validator for every action's input: all errors at once, formats (email, date, uri) checked. */
export function createInputValidator(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

function readAction(config: Config, key: string, ajv: Ajv): ConfiguredAction {
  const id = config.getString('id');
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) {
    throw new N8nConfigError(
      `${key}.id`,
      `'${id}' must be lower-case letters, digits and dashes (at most 64)`,
    );
  }
  const inputSchema = config.get<Record<string, any>>('inputSchema');
  let validate: ValidateFunction;
  try {
    validate = ajv.compile({ ...inputSchema, $id: `n8n-action-${id}` });
  } catch (error) {
    throw new N8nConfigError(
      `${key}.inputSchema`,
      `not a JSON Schema ajv can compile (${(error as Error).message})`,
    );
  }
  const required: string[] = Array.isArray(inputSchema.required)
    ? inputSchema.required
    : [];
  const entityField = config.getOptionalString('entityField');
  if (entityField && !required.includes(entityField)) {
    throw new N8nConfigError(
      `${key}.entityField`,
      `'${entityField}' must be a required property of the inputSchema`,
    );
  }
  const permission = config.getOptionalString('permission');
  if (permission !== undefined && !isSensitiveAction(permission)) {
    throw new N8nConfigError(
      `${key}.permission`,
      `unknown action '${permission}'; use one of ${SENSITIVE_ACTION_KEYS.join(
        ', ',
      )}`,
    );
  }
  if (permission && !entityField) {
    throw new N8nConfigError(
      `${key}.permission`,
      'a permission is checked on an entity: set entityField too',
    );
  }
  const requiresApproval =
    config.getOptionalBoolean('requiresApproval') ?? false;
  if (requiresApproval && !permission) {
    throw new N8nConfigError(
      `${key}.requiresApproval`,
      'an approval is for a permission on an entity: set permission too',
    );
  }
  const grantsAccess = config.getOptionalBoolean('grantsAccess') ?? false;
  if (
    grantsAccess &&
    !(
      ['access', 'hours'].every(field => required.includes(field)) &&
      entityField
    )
  ) {
    throw new N8nConfigError(
      `${key}.grantsAccess`,
      'an access request needs required input fields access and hours, and an entityField',
    );
  }
  return {
    id,
    title: config.getString('title'),
    description: config.getString('description'),
    workflow: config.getString('workflow'),
    inputSchema,
    ...(config.has('uiSchema')
      ? { uiSchema: config.get<Record<string, any>>('uiSchema') }
      : {}),
    ...(entityField ? { entityField } : {}),
    ...(permission ? { permission: permission as SensitiveAction } : {}),
    requiresMembership:
      config.getOptionalBoolean('requiresMembership') ?? false,
    requiresApproval,
    grantsAccess,
    validate,
  };
}

/** Reads and validates `n8n.*`; undefined when n8n is not configured. Throws N8nConfigError naming the key. */
export function readN8nConfig(root: Config): N8nConfig | undefined {
  const config = root.getOptionalConfig('n8n');
  if (!config) return undefined;
  const ajv = createInputValidator();
  const actions = (config.getOptionalConfigArray('actions') ?? []).map(
    (action, i) => readAction(action, `n8n.actions[${i}]`, ajv),
  );
  const ids = new Set<string>();
  for (const action of actions) {
    if (ids.has(action.id)) {
      throw new N8nConfigError('n8n.actions', `two actions are '${action.id}'`);
    }
    ids.add(action.id);
  }
  const callback = config.getOptionalConfig('callback');
  return {
    baseUrl: config.getString('baseUrl'),
    apiKey: config.getString('apiKey'),
    webhookBaseUrl: config.getOptionalString('webhookBaseUrl'),
    timeoutMs: config.getOptionalNumber('timeoutMs') ?? 15_000,
    followEverySeconds: config.getOptionalNumber('followEverySeconds') ?? 10,
    runTimeoutMinutes: config.getOptionalNumber('runTimeoutMinutes') ?? 60,
    ...(callback
      ? {
          callback: {
            secret: callback.getString('secret'),
            toleranceSeconds:
              callback.getOptionalNumber('toleranceSeconds') ?? 300,
            url: callback.getOptionalString('url'),
          },
        }
      : {}),
    actions,
  };
}
