export { GrantsCard } from './GrantsCard';
