import { describeMigrations } from '@internal/test-utils';
import { MIGRATIONS } from './migrations';

describeMigrations('portal search', MIGRATIONS, ['portal_search_documents']);
