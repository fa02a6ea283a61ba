export { DeploymentHistoryCard, historyRows } from './DeploymentHistoryCard';
