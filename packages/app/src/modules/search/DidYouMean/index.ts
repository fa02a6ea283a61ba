export { DidYouMean } from './DidYouMean';
