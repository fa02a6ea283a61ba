import { useState } from 'react';
import {
  Dialog,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import Form from '@rjsf/material-ui';
import validator from '@rjsf/validator-ajv8';
import { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import { useApi } from '@backstage/frontend-plugin-api';
import { WorkflowAction, WorkflowRun } from '@internal/plugin-n8n-common';
import { n8nApiRef } from '../../api/N8nClient';

/** The server's per-field problems (JSON pointers) as the form's error schema. */
export function errorSchemaOf(fields: Record<string, string>): ErrorSchema {
  const schema: Record<string, any> = {};
  for (const [pointer, message] of Object.entries(fields)) {
    const path = pointer.split('/').filter(Boolean);
    let node = schema;
    for (const part of path) {
      node = node[part] ??= {};
    }
    (node.__errors ??= []).push(message);
  }
  return schema as ErrorSchema;
}

export interface ActionDialogProps {
  action: WorkflowAction;
  /** Prefilled input, e.g. what an agent proposed. */
  initialInput?: Record<string, unknown>;
  onClose(): void;
  onStarted(run: WorkflowRun): void;
}

/** A self-service action's form, generated from its JSON Schema and checked again by the server. */
export const ActionDialog = ({
  action,
  initialInput,
  onClose,
  onStarted,
}: ActionDialogProps) => {
  const n8nApi = useApi(n8nApiRef);
  const [formData, setFormData] = useState<Record<string, unknown>>(
    initialInput ?? {},
  );
  const [extraErrors, setExtraErrors] = useState<ErrorSchema>();
  const [problem, setProblem] = useState<string>();
  const [starting, setStarting] = useState(false);

  const submit = async (input: Record<string, unknown>) => {
    setStarting(true);
    setProblem(undefined);
    setExtraErrors(undefined);
    try {
      onStarted(await n8nApi.startAction(action.id, input));
    } catch (error: any) {
      const fields = error?.body?.error?.fields;
      if (fields) setExtraErrors(errorSchemaOf(fields));
      setProblem(
        error?.body?.error?.message ?? String(error?.message ?? error),
      );
    } finally {
      setStarting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-label={action.title}
    >
      <DialogTitle>{action.title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {action.description}
        </Typography>
        {action.requiresApproval && (
          <Alert severity="info">
            This action uses up an approval: request one on the Access &
            approvals page first.
          </Alert>
        )}
        {problem && (
          <Alert severity="error" role="alert">
            {problem}
          </Alert>
        )}
        <Form
          schema={action.inputSchema as RJSFSchema}
          uiSchema={{
            ...(action.uiSchema as UiSchema | undefined),
            'ui:submitButtonOptions': {
              submitText: starting ? 'Starting…' : 'Start',
              props: { disabled: starting },
            },
          }}
          formData={formData}
          validator={validator}
          // A choice among `oneOf` consts is the person's to make, not the first option's.
          experimental_defaultFormStateBehavior={{
            constAsDefaults: 'skipOneOf',
          }}
          extraErrors={extraErrors}
          showErrorList={false}
          onChange={event => setFormData(event.formData)}
          onSubmit={event => submit(event.formData)}
        />
      </DialogContent>
    </Dialog>
  );
};
