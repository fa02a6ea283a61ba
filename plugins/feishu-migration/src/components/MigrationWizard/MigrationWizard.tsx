import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Content, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';
import { MigrationDetails } from '../MigrationDetails';
import { OptionsStep } from './OptionsStep';
import { PagesStep } from './PagesStep';
import { PreviewStep } from './PreviewStep';
import { migrationRequestOf, useMigrationDraft } from './useMigrationDraft';

const STEPS = ['Pages', 'Options', 'Preview', 'Run'];

export interface MigrationWizardProps {
  /** Start with this service chosen (the wizard on a service's own page). */
  entityRef?: string;
}

/** Pick pages → options → dry-run preview → run with progress, validation report and rollback. */
export function MigrationWizard(props: MigrationWizardProps) {
  const api = useApi(feishuMigrationApiRef);
  const [step, setStep] = useState(0);
  const draftState = useMigrationDraft(props.entityRef);
  const { draft } = draftState;
  const { entityRef, source } = draft;
  const [jobId, setJobId] = useState<string>();
  const [startError, setStartError] = useState<Error>();
  const nodes = useAsync(async () => {
    if (!entityRef || !source) return [];
    return source.kind === 'drive-folder'
      ? api.listFolderFiles(entityRef, source.folderToken)
      : api.listNodes(entityRef, source.spaceId);
  }, [api, entityRef, source]);
  const allNodes = nodes.value ?? [];
  const chosen = allNodes.filter(
    n => draft.selected.has(n.nodeToken) && n.objType === 'docx',
  );

  const start = async () => {
    const request = migrationRequestOf(draft);
    if (!request) return;
    setStartError(undefined);
    try {
      setJobId((await api.startMigration(request)).id);
    } catch (e) {
      setStartError(e as Error);
    }
  };

  return (
    <Content>
      <Stepper activeStep={step}>
        {STEPS.map(label => (
          <Step key={label}>
            <StepLabel>{label}</StepLabel>
          </Step>
        ))}
      </Stepper>
      {step === 0 && (
        <>
          <PagesStep
            entityRef={entityRef}
            onServiceChange={draftState.chooseService}
            source={source}
            onSourceChange={draftState.chooseSource}
            nodes={allNodes}
            selected={draft.selected}
            onSelectedChange={draftState.setSelected}
          />
          {nodes.error && <ResponseErrorPanel error={nodes.error} />}
        </>
      )}
      {step === 1 && (
        <OptionsStep
          options={draft.options}
          onOptionsChange={draftState.setOptions}
          target={draft.target}
          onTargetChange={draftState.setTarget}
        />
      )}
      {step === 2 && source && (
        <PreviewStep
          entityRef={entityRef}
          source={source}
          pages={chosen}
          options={draft.options}
        />
      )}
      {step === 3 && !jobId && (
        <Box mt={2}>
          <Typography>
            {chosen.length} documents will be migrated into {entityRef}, under{' '}
            {draft.target.docsPath}.
          </Typography>
          {startError && (
            <Typography color="error" role="alert">
              {startError.message}
            </Typography>
          )}
          <Button variant="contained" color="primary" onClick={start}>
            Start migration
          </Button>
        </Box>
      )}
      {step === 3 && jobId && <MigrationDetails id={jobId} />}
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        <Button
          disabled={step === 0 || Boolean(jobId)}
          onClick={() => setStep(step - 1)}
        >
          Back
        </Button>
        {step < 3 && (
          <Button
            variant="contained"
            color="primary"
            disabled={chosen.length === 0}
            onClick={() => setStep(step + 1)}
          >
            Next
          </Button>
        )}
      </Box>
    </Content>
  );
}
