import {
  MigrationConversionOptions,
  MigrationTargetStructure,
} from '@internal/plugin-feishu-migration-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

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

export interface OptionsStepProps {
  options: MigrationConversionOptions;
  onOptionsChange: (options: MigrationConversionOptions) => void;
  target: MigrationTargetStructure;
  onTargetChange: (target: MigrationTargetStructure) => void;
}

/** How documents are converted, and where in the repository they go. */
export function OptionsStep(props: OptionsStepProps) {
  const { options, onOptionsChange, target, onTargetChange } = props;
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
            onOptionsChange({
              ...options,
              handleImages: e.target
                .value as MigrationConversionOptions['handleImages'],
            })
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
            onOptionsChange({
              ...options,
              commentHandling: e.target
                .value as MigrationConversionOptions['commentHandling'],
            })
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
          onChange={e =>
            onTargetChange({ ...target, docsPath: e.target.value })
          }
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <OptionCheckbox
          label="Mirror the wiki tree as folders"
          checked={target.preserveHierarchy}
          onChange={checked =>
            onTargetChange({ ...target, preserveHierarchy: checked })
          }
        />
        <OptionCheckbox
          label="Convert tables to Markdown"
          checked={options.convertTables}
          onChange={checked =>
            onOptionsChange({ ...options, convertTables: checked })
          }
        />
        <OptionCheckbox
          label="Keep bold, italic and other formatting"
          checked={options.preserveFormatting}
          onChange={checked =>
            onOptionsChange({ ...options, preserveFormatting: checked })
          }
        />
      </Grid>
    </Grid>
  );
}
