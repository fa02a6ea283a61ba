/**
 * The golden paths' scaffolder module (golden-paths:catalog:register) and the auditor service that puts
 * every template run into the security trail.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGoldenPaths as default } from './module';
export { auditorServiceFactory } from './audit/auditorServiceFactory';
export { createRegisterNewRepositoryAction } from './actions/registerNewRepository';
export {
  GOLDEN_PATHS,
  loadTemplate,
  templateDirectoryContents,
} from './templates/goldenPathTemplates';
export type { GoldenPath } from './templates/goldenPathTemplates';
