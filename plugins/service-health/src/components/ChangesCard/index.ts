export { ChangesCard } from './ChangesCard';
