export { argocdModule } from './argocdModule';
