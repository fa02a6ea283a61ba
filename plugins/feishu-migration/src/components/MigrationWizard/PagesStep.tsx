import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { WikiTreeNode } from '@internal/plugin-feishu-migration-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';
import { GITHUB_SLUG_ANNOTATION } from '../EntityFeishuMigrationContent/annotations';
import { MigrationSource, sourceId } from './useMigrationDraft';
import {
  flattenTree,
  matchingRows,
  objTypeNote,
  toggleWithDescendants,
} from './wikiTree';

/** A select's value for a source; the draft keeps the source itself. */
const keyOf = (source: MigrationSource) => `${source.kind}:${sourceId(source)}`;

export interface PagesStepProps {
  entityRef: string;
  onServiceChange: (entityRef: string) => void;
  source?: MigrationSource;
  onSourceChange: (source: MigrationSource | undefined) => void;
  nodes: WikiTreeNode[];
  selected: ReadonlySet<string>;
  onSelectedChange: (selected: ReadonlySet<string>) => void;
}

/** Choose the service, the wiki space or drive folder, and the pages. */
export function PagesStep(props: PagesStepProps) {
  const api = useApi(feishuMigrationApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [search, setSearch] = useState('');
  // Docs are delivered into the service's own repository, so only services that name one are offered.
  const services = useAsync(
    async () =>
      (
        await catalogApi.getEntities({
          filter: {
            kind: 'component',
            [`metadata.annotations.${GITHUB_SLUG_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
          ],
        })
      ).items,
    [catalogApi],
  );
  const sources = useAsync(async (): Promise<MigrationSource[]> => {
    if (!props.entityRef) return [];
    const [spaces, folders] = await Promise.all([
      api.listSpaces(props.entityRef),
      api.listFolders(props.entityRef),
    ]);
    return [
      ...spaces.map(space => ({
        kind: 'wiki-space' as const,
        spaceId: space.spaceId,
        name: space.name,
      })),
      ...folders.map(folder => ({
        kind: 'drive-folder' as const,
        folderToken: folder.folderToken,
        name: folder.name,
      })),
    ];
  }, [api, props.entityRef]);
  const rows = useMemo(() => flattenTree(props.nodes), [props.nodes]);
  const visible = matchingRows(rows, search);
  const searching = search.trim() !== '';

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <TextField
          id="feishu-service"
          select
          fullWidth
          label="Service to migrate into"
          value={props.entityRef}
          onChange={e => props.onServiceChange(e.target.value)}
          helperText={`Pages become TechDocs in this service's repository; services without ${GITHUB_SLUG_ANNOTATION} are not listed`}
        >
          {(services.value ?? []).map(entity => (
            <MenuItem
              key={stringifyEntityRef(entity)}
              value={stringifyEntityRef(entity)}
            >
              {entity.metadata.title ?? entity.metadata.name}
            </MenuItem>
          ))}
        </TextField>
        {services.error && <ResponseErrorPanel error={services.error} />}
      </Grid>
      <Grid item xs={12} md={6}>
        <TextField
          id="feishu-space"
          select
          fullWidth
          label="Feishu wiki space or drive folder"
          value={props.source ? keyOf(props.source) : ''}
          disabled={!props.entityRef}
          onChange={e =>
            props.onSourceChange(
              sources.value?.find(s => keyOf(s) === e.target.value),
            )
          }
        >
          {(sources.value ?? []).map(source => (
            <MenuItem key={keyOf(source)} value={keyOf(source)}>
              {source.kind === 'wiki-space' ? 'Wiki' : 'Drive folder'}:{' '}
              {source.name}
            </MenuItem>
          ))}
        </TextField>
        {sources.error && <ResponseErrorPanel error={sources.error} />}
      </Grid>
      {props.source && (
        <Grid item xs={12}>
          <TextField
            id="feishu-filter"
            fullWidth
            label="Search pages"
            value={search}
            onChange={e => setSearch(e.target.value)}
          />
          <Box display="flex" alignItems="center" mt={1}>
            <Button
              size="small"
              onClick={() =>
                props.onSelectedChange(
                  new Set(props.nodes.map(n => n.nodeToken)),
                )
              }
            >
              Select all
            </Button>
            <Button
              size="small"
              onClick={() => props.onSelectedChange(new Set())}
            >
              Clear
            </Button>
            <Typography variant="body2">
              {props.selected.size} of {props.nodes.length} pages selected
            </Typography>
          </Box>
          <Box
            role="tree"
            aria-label="Wiki pages"
            maxHeight={420}
            overflow="auto"
          >
            {visible.map(({ node, depth }) => (
              <Box
                key={node.nodeToken}
                pl={searching ? 0 : depth * 3}
                role="treeitem"
              >
                <FormControlLabel
                  control={
                    <Checkbox
                      size="small"
                      checked={props.selected.has(node.nodeToken)}
                      onChange={e =>
                        props.onSelectedChange(
                          toggleWithDescendants(
                            props.nodes,
                            props.selected,
                            node.nodeToken,
                            e.target.checked,
                          ),
                        )
                      }
                    />
                  }
                  label={`${node.title}${objTypeNote(node.objType)}`}
                />
              </Box>
            ))}
          </Box>
        </Grid>
      )}
    </Grid>
  );
}
