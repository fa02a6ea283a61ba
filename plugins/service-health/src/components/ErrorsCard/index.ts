export { ErrorsCard } from './ErrorsCard';
