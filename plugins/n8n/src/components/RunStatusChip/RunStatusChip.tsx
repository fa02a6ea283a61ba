import { Chip } from '@material-ui/core';
import { RunStatus } from '@internal/plugin-n8n-common';

const COLORS: Record<RunStatus, 'default' | 'primary' | 'secondary'> = {
  pending: 'default',
  running: 'primary',
  success: 'primary',
  failed: 'secondary',
  canceled: 'default',
};

/** A run's status as a chip; running ones say so while they run. */
export const RunStatusChip = ({ status }: { status: RunStatus }) => (
  <Chip
    size="small"
    label={status}
    color={COLORS[status]}
    variant={
      status === 'success' || status === 'failed' ? 'default' : 'outlined'
    }
    aria-label={`status ${status}`}
  />
);
