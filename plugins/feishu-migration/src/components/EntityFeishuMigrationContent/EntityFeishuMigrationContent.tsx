import { useState } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { HistoryPage } from '../HistoryPage';
import { MigrationWizard } from '../MigrationWizard';
import { GITHUB_SLUG_ANNOTATION } from './annotations';

/**
 * The service page's Feishu tab: its migrations, and a wizard to start one into it. Docs are delivered
 * into the repository that github.com/project-slug names; without it the tab says which annotation to add.
 */
export function EntityFeishuMigrationContent() {
  const { entity } = useEntity();
  const [creating, setCreating] = useState(false);
  if (!entity.metadata.annotations?.[GITHUB_SLUG_ANNOTATION]) {
    return <MissingAnnotationEmptyState annotation={GITHUB_SLUG_ANNOTATION} />;
  }
  const entityRef = stringifyEntityRef(entity);
  return (
    <>
      <Box mb={2}>
        <Button
          variant="contained"
          color="primary"
          onClick={() => setCreating(!creating)}
        >
          {creating ? 'Back to migrations' : 'Migrate Feishu pages here'}
        </Button>
      </Box>
      {creating ? (
        <MigrationWizard entityRef={entityRef} />
      ) : (
        <HistoryPage entityRef={entityRef} />
      )}
    </>
  );
}
