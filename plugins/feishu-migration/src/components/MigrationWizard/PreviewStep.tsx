import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  MarkdownContent,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  MigrationConversionOptions,
  PreviewResponse,
  WikiTreeNode,
} from '@internal/plugin-feishu-migration-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';
import { MigrationSource } from './useMigrationDraft';

export interface PreviewStepProps {
  entityRef: string;
  source: MigrationSource;
  pages: WikiTreeNode[];
  options: MigrationConversionOptions;
}

/** A dry run of one chosen page: the Feishu structure beside the TechDocs page it becomes. */
export function PreviewStep(props: PreviewStepProps) {
  const api = useApi(feishuMigrationApiRef);
  const [token, setToken] = useState(props.pages[0]?.nodeToken ?? '');
  const fromDrive = props.source.kind === 'drive-folder';
  const preview = useAsync(
    async (): Promise<PreviewResponse | undefined> =>
      token
        ? api.preview({
            entityRef: props.entityRef,
            ...(fromDrive ? { documentId: token } : { nodeToken: token }),
            options: props.options,
          })
        : undefined,
    [api, token, fromDrive, props.entityRef, props.options],
  );
  return (
    <>
      <TextField
        id="feishu-preview-page"
        select
        fullWidth
        label="Page to preview (dry run: nothing is written)"
        value={token}
        onChange={e => setToken(e.target.value)}
      >
        {props.pages.map(page => (
          <MenuItem key={page.nodeToken} value={page.nodeToken}>
            {page.title}
          </MenuItem>
        ))}
      </TextField>
      {preview.loading && <Progress />}
      {preview.error && <ResponseErrorPanel error={preview.error} />}
      {preview.value && (
        <Grid container spacing={2}>
          <Grid item xs={12} md={4}>
            <InfoCard title="Feishu source">
              <Box
                aria-label="Source structure"
                component="ul"
                pl={0}
                style={{ listStyle: 'none' }}
              >
                {preview.value.source.map((item, i) => (
                  <Box component="li" key={i} pl={item.depth * 2}>
                    <Typography variant="caption" color="textSecondary">
                      {item.kind}
                    </Typography>{' '}
                    {item.text}
                  </Box>
                ))}
              </Box>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={8}>
            <InfoCard title="TechDocs page">
              {preview.value.warnings.length > 0 && (
                <Typography color="error">
                  Warnings: {preview.value.warnings.join('; ')}
                </Typography>
              )}
              <MarkdownContent
                content={preview.value.markdown}
                dialect="gfm"
                transformImageUri={uri => uri}
              />
            </InfoCard>
          </Grid>
        </Grid>
      )}
    </>
  );
}
