/**
 * Every entity's TechDocs built or watched on a schedule, with each build's outcome for the docs page.
 *
 * @packageDocumentation
 */
export { techdocsModuleScheduledBuilds as default } from './module';
export {
  TECHDOCS_PUBLISHED_TOPIC,
  type TechDocsPublishedEvent,
} from './builds/ScheduledDocsBuilds';
