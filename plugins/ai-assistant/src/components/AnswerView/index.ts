export { AnswerView } from './AnswerView';
export { newTurn, withEvent, withCitationLinks } from './turn';
export type { Turn } from './turn';
