import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  InfoCard,
  MarkdownContent,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  DEFAULT_CONVERSION_OPTIONS,
  DEFAULT_TARGET_STRUCTURE,
  MigrationConversionOptions,
  MigrationTargetStructure,
  PreviewResponse,
  WikiTreeNode,
} from '@internal/plugin-feishu-migration-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { feishuMigrationApiRef } from '../api/FeishuMigrationClient';
import { MigrationDetails } from './MigrationDetails';

const STEPS = ['Pages', 'Options', 'Preview', 'Run'];

/** Depth-first order with each node's depth, so the tree renders as an indented list. */
function flattenTree(nodes: WikiTreeNode[]) {
  const children = new Map<string, WikiTreeNode[]>();
  for (const node of nodes) {
    children.set(node.parentNodeToken, [
      ...(children.get(node.parentNodeToken) ?? []),
      node,
    ]);
  }
  const out: Array<{ node: WikiTreeNode; depth: number }> = [];
  const visit = (parent: string, depth: number) => {
    for (const node of children.get(parent) ?? []) {
      out.push({ node, depth });
      visit(node.nodeToken, depth + 1);
    }
  };
  visit('', 0);
  return out;
}

function objTypeNote(objType: string): string {
  if (objType === 'docx') return '';
  if (objType === 'folder') return ' (folder: becomes an index page)';
  return ` (${objType}, stays in Feishu)`;
}

function descendants(nodes: WikiTreeNode[], token: string): string[] {
  const direct = nodes.filter(n => n.parentNodeToken === token);
  return direct.flatMap(n => [n.nodeToken, ...descendants(nodes, n.nodeToken)]);
}

function PagesStep(props: {
  entityRef: string;
  setEntityRef: (ref: string) => void;
  /** wiki:<space id> or drive:<folder token> */
  source: string;
  setSource: (source: string) => void;
  nodes: WikiTreeNode[];
  selected: Set<string>;
  setSelected: (selected: Set<string>) => void;
}) {
  const api = useApi(feishuMigrationApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [filter, setFilter] = useState('');
  const services = useAsync(
    async () =>
      (
        await catalogApi.getEntities({
          filter: { kind: 'component' },
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
  const sources = useAsync(async () => {
    if (!props.entityRef) return [];
    const [spaces, folders] = await Promise.all([
      api.listSpaces(props.entityRef),
      api.listFolders(props.entityRef),
    ]);
    return [
      ...spaces.map(space => ({
        value: `wiki:${space.spaceId}`,
        label: `Wiki: ${space.name}`,
      })),
      ...folders.map(folder => ({
        value: `drive:${folder.folderToken}`,
        label: `Drive folder: ${folder.name}`,
      })),
    ];
  }, [api, props.entityRef]);
  const rows = useMemo(() => flattenTree(props.nodes), [props.nodes]);
  const needle = filter.trim().toLowerCase();
  const visible = needle
    ? rows.filter(r => r.node.title.toLowerCase().includes(needle))
    : rows;

  const toggle = (token: string, on: boolean) => {
    const next = new Set(props.selected);
    for (const t of [token, ...descendants(props.nodes, token)]) {
      if (on) next.add(t);
      else next.delete(t);
    }
    props.setSelected(next);
  };

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <TextField
          id="feishu-service"
          select
          fullWidth
          label="Service to migrate into"
          value={props.entityRef}
          onChange={e => props.setEntityRef(e.target.value)}
          helperText="Pages become TechDocs in this service's repository"
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
      </Grid>
      <Grid item xs={12} md={6}>
        <TextField
          id="feishu-space"
          select
          fullWidth
          label="Feishu wiki space or drive folder"
          value={props.source}
          disabled={!props.entityRef}
          onChange={e => props.setSource(e.target.value)}
        >
          {(sources.value ?? []).map(source => (
            <MenuItem key={source.value} value={source.value}>
              {source.label}
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
            value={filter}
            onChange={e => setFilter(e.target.value)}
          />
          <Box display="flex" alignItems="center" mt={1}>
            <Button
              size="small"
              onClick={() =>
                props.setSelected(new Set(props.nodes.map(n => n.nodeToken)))
              }
            >
              Select all
            </Button>
            <Button size="small" onClick={() => props.setSelected(new Set())}>
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
                pl={needle ? 0 : depth * 3}
                role="treeitem"
              >
                <FormControlLabel
                  control={
                    <Checkbox
                      size="small"
                      checked={props.selected.has(node.nodeToken)}
                      onChange={e => toggle(node.nodeToken, e.target.checked)}
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

function OptionCheckbox(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <FormControlLabel
      control={
        <Checkbox
          checked={props.checked}
          onChange={e => props.onChange(e.target.checked)}
        />
      }
      label={props.label}
    />
  );
}

function OptionsStep(props: {
  options: MigrationConversionOptions;
  setOptions: (o: MigrationConversionOptions) => void;
  target: MigrationTargetStructure;
  setTarget: (t: MigrationTargetStructure) => void;
}) {
  const { options, setOptions, target, setTarget } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <TextField
          id="feishu-images"
          select
          fullWidth
          label="Images"
          value={options.handleImages}
          onChange={e =>
            setOptions({ ...options, handleImages: e.target.value as any })
          }
        >
          <MenuItem value="download">Download into docs/assets</MenuItem>
          <MenuItem value="link">Link to Feishu</MenuItem>
          <MenuItem value="embed">Embed in the page</MenuItem>
        </TextField>
      </Grid>
      <Grid item xs={12} md={6}>
        <TextField
          id="feishu-comments"
          select
          fullWidth
          label="Comments"
          value={options.commentHandling}
          onChange={e =>
            setOptions({ ...options, commentHandling: e.target.value as any })
          }
        >
          <MenuItem value="preserve">Keep as footnotes</MenuItem>
          <MenuItem value="convert_to_notes">Turn into notes</MenuItem>
          <MenuItem value="remove">Remove</MenuItem>
        </TextField>
      </Grid>
      <Grid item xs={12} md={6}>
        <TextField
          id="feishu-docs-path"
          fullWidth
          label="Folder in the repository"
          value={target.docsPath}
          helperText="docs, or a folder inside it"
          onChange={e => setTarget({ ...target, docsPath: e.target.value })}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <OptionCheckbox
          label="Mirror the wiki tree as folders"
          checked={target.preserveHierarchy}
          onChange={checked =>
            setTarget({ ...target, preserveHierarchy: checked })
          }
        />
        <OptionCheckbox
          label="Convert tables to Markdown"
          checked={options.convertTables}
          onChange={checked =>
            setOptions({ ...options, convertTables: checked })
          }
        />
        <OptionCheckbox
          label="Keep bold, italic and other formatting"
          checked={options.preserveFormatting}
          onChange={checked =>
            setOptions({ ...options, preserveFormatting: checked })
          }
        />
      </Grid>
    </Grid>
  );
}

function PreviewStep(props: {
  entityRef: string;
  fromDrive: boolean;
  pages: WikiTreeNode[];
  options: MigrationConversionOptions;
}) {
  const api = useApi(feishuMigrationApiRef);
  const [token, setToken] = useState(props.pages[0]?.nodeToken ?? '');
  const preview = useAsync(
    async (): Promise<PreviewResponse | undefined> =>
      token
        ? api.preview({
            entityRef: props.entityRef,
            ...(props.fromDrive ? { documentId: token } : { nodeToken: token }),
            options: props.options,
          })
        : undefined,
    [api, token, props.entityRef, props.options],
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

/** Pick pages → options → dry-run preview → run with progress, validation report and rollback. */
export function MigrationWizard() {
  const api = useApi(feishuMigrationApiRef);
  const [step, setStep] = useState(0);
  const [entityRef, setEntityRef] = useState('');
  const [source, setSource] = useState('');
  const [sourceKind, sourceId] = source.split(/:(.*)/s);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [options, setOptions] = useState(DEFAULT_CONVERSION_OPTIONS);
  const [target, setTarget] = useState(DEFAULT_TARGET_STRUCTURE);
  const [jobId, setJobId] = useState<string>();
  const [startError, setStartError] = useState<Error>();
  const nodes = useAsync(async () => {
    if (!entityRef || !sourceId) return [];
    return sourceKind === 'drive'
      ? api.listFolderFiles(entityRef, sourceId)
      : api.listNodes(entityRef, sourceId);
  }, [api, entityRef, sourceKind, sourceId]);
  const allNodes = nodes.value ?? [];
  const chosen = allNodes.filter(
    n => selected.has(n.nodeToken) && n.objType === 'docx',
  );

  const start = async () => {
    setStartError(undefined);
    try {
      const job = await api.startMigration({
        entityRef,
        ...(sourceKind === 'drive'
          ? { folderToken: sourceId }
          : { spaceId: sourceId }),
        nodeTokens: [...selected],
        options,
        target,
      });
      setJobId(job.id);
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
            setEntityRef={ref => {
              setEntityRef(ref);
              setSource('');
              setSelected(new Set());
            }}
            source={source}
            setSource={value => {
              setSource(value);
              setSelected(new Set());
            }}
            nodes={allNodes}
            selected={selected}
            setSelected={setSelected}
          />
          {nodes.error && <ResponseErrorPanel error={nodes.error} />}
        </>
      )}
      {step === 1 && (
        <OptionsStep
          options={options}
          setOptions={setOptions}
          target={target}
          setTarget={setTarget}
        />
      )}
      {step === 2 && (
        <PreviewStep
          entityRef={entityRef}
          fromDrive={sourceKind === 'drive'}
          pages={chosen}
          options={options}
        />
      )}
      {step === 3 && !jobId && (
        <Box mt={2}>
          <Typography>
            {chosen.length} documents will be migrated into {entityRef}, under{' '}
            {target.docsPath}.
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
