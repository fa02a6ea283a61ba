import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { authModule } from './modules/auth';
import { argocdModule } from './modules/argocd';
import { searchModule } from './modules/search';
import { techdocsModule } from './modules/techdocs';

// Every other plugin in package.json is discovered through app.packages: all.
export default createApp({
  features: [
    catalogPlugin,
    navModule,
    homeModule,
    authModule,
    argocdModule,
    searchModule,
    techdocsModule,
  ],
});
