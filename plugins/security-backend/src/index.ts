export { securityPlugin as default } from './plugin';
export { filterSensitiveContent } from './redaction/filterSensitiveContent';
