import { describeMigrations } from '@internal/test-utils';
import { MIGRATIONS } from './migrations';

describeMigrations('opencost', MIGRATIONS, [
  'opencost_daily_costs',
  'opencost_synced_days',
  'opencost_aws_daily_costs',
  'opencost_cost_variances',
]);
