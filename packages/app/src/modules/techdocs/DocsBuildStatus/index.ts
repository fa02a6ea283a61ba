export { DocsBuildStatus } from './DocsBuildStatus';
