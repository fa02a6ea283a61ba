import { Freshness } from '@internal/plugin-opencost-common';
import Typography from '@material-ui/core/Typography';
import { ageOf } from '../../format';

/** How old the OpenCost figures are, and why they are stale when they are. */
export function FreshnessNote({ freshness }: { freshness: Freshness }) {
  const asOf = freshness.asOf ? `as of ${ageOf(freshness.asOf)}` : '';
  return (
    <Typography
      variant="caption"
      color={freshness.stale ? 'error' : 'textSecondary'}
      role={freshness.stale ? 'status' : undefined}
    >
      {freshness.stale
        ? `Stale: OpenCost data ${asOf} (${freshness.problem ?? 'not synced'})`
        : `OpenCost data ${asOf}`}
    </Typography>
  );
}
