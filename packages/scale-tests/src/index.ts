export { startCluster } from './cluster';
export type { Cluster } from './cluster';
