export { MonitorsCard } from './MonitorsCard';
