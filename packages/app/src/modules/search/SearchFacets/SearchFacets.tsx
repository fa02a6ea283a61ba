import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import { useSearch } from '@backstage/plugin-search-react';
import useAsync from 'react-use/esm/useAsync';
import {
  FacetCounts,
  FacetField,
  portalSearchApiRef,
} from '../api/PortalSearchClient';

const GROUPS: Array<{ field: FacetField; label: string }> = [
  { field: 'resultType', label: 'Result type' },
  { field: 'kind', label: 'Kind' },
  { field: 'type', label: 'Type' },
  { field: 'owner', label: 'Owner' },
  { field: 'lifecycle', label: 'Lifecycle' },
  { field: 'tags', label: 'Tag' },
];

const RESULT_TYPE_NAMES: Record<string, string> = {
  'software-catalog': 'Software Catalog',
  techdocs: 'Documentation',
};

const useStyles = makeStyles(theme => ({
  group: { marginBottom: theme.spacing(2) },
  option: { display: 'flex', marginRight: 0 },
}));

/**
 * Values that differ only in case are one facet (a doc page's kind is "component", its entity's
 * "Component"): shown once with their total, filtered by every spelling.
 */
export function mergedByCase(counts: Record<string, number>) {
  const merged = new Map<
    string,
    { label: string; values: string[]; count: number }
  >();
  for (const [value, count] of Object.entries(counts)) {
    const key = value.toLowerCase();
    const entry = merged.get(key);
    if (entry) {
      entry.values.push(value);
      entry.count += count;
      if (value < entry.label) entry.label = value;
    } else {
      merged.set(key, { label: value, values: [value], count });
    }
  }
  return [...merged.values()].sort(
    (a, b) => b.count - a.count || a.label.localeCompare(b.label),
  );
}

const asList = (value: unknown): string[] => {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
};

/** The query's matches counted by result type, kind, type, owner, lifecycle and tag; a click narrows. */
export function SearchFacets() {
  const classes = useStyles();
  const api = useApi(portalSearchApiRef);
  const { term, types, filters, setFilters, setTypes } = useSearch();
  const {
    value: facets,
    loading,
    error,
  } = useAsync(
    () => api.facets({ term, types, filters }),
    [api, term, JSON.stringify(types), JSON.stringify(filters)],
  );
  if (loading && !facets) return <Progress />;
  if (error) {
    return (
      <Typography variant="body2" color="textSecondary">
        Counts are unavailable: {error.message}
      </Typography>
    );
  }
  const toggle = (field: FacetField, values: string[], checked: boolean) => {
    if (field === 'resultType') {
      setTypes(
        checked
          ? [...types, ...values]
          : types.filter(t => !values.includes(t)),
      );
      return;
    }
    const current = asList(filters[field]).filter(v => !values.includes(v));
    const next = checked ? [...current, ...values] : current;
    const { [field]: _, ...rest } = filters;
    setFilters(next.length ? { ...rest, [field]: next } : rest);
  };
  return (
    <div aria-label="Narrow the results">
      {GROUPS.map(({ field, label }) => {
        const options = mergedByCase((facets as FacetCounts)[field] ?? {});
        if (options.length === 0) return null;
        const selected =
          field === 'resultType' ? types : asList(filters[field]);
        return (
          <fieldset
            key={field}
            className={classes.group}
            style={{ border: 0, padding: 0 }}
          >
            <Typography component="legend" variant="subtitle2">
              {label}
            </Typography>
            {options.slice(0, 12).map(option => (
              <FormControlLabel
                key={option.label}
                className={classes.option}
                control={
                  <Checkbox
                    size="small"
                    checked={option.values.some(v => selected.includes(v))}
                    onChange={(_, checked) =>
                      toggle(field, option.values, checked)
                    }
                  />
                }
                label={`${
                  field === 'resultType'
                    ? RESULT_TYPE_NAMES[option.label] ?? option.label
                    : option.label
                } (${option.count})`}
              />
            ))}
          </fieldset>
        );
      })}
    </div>
  );
}
