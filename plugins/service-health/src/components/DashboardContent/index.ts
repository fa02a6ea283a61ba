export { DashboardContent, isDatadogUrl } from './DashboardContent';
