export { HistoryPage } from './HistoryPage';
export type { HistoryPageProps } from './HistoryPage';
