import { describeMigrations } from '@internal/test-utils';
import { MIGRATIONS } from './migrations';

describeMigrations('techdocs builds', MIGRATIONS, ['techdocs_builds']);
