export { IndexingNote } from './IndexingNote';
