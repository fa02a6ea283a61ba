export { SignalCard, FreshnessNote, ageOf } from './SignalCard';
export type { SignalCardProps } from './SignalCard';
