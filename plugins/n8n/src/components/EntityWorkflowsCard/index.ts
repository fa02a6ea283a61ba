export { EntityWorkflowsCard } from './EntityWorkflowsCard';
