import { describeMigrations } from '@internal/test-utils';
import { MIGRATIONS } from './migrations';

describeMigrations('service-health', MIGRATIONS, ['service_health_snapshots']);
