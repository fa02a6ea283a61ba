import { describeMigrations } from '@internal/test-utils';
import { MIGRATIONS } from './migrations';

describeMigrations('n8n', MIGRATIONS, ['n8n_runs', 'n8n_callback_receipts']);
