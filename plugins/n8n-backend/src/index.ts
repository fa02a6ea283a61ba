/**
 * Self-service n8n workflows for the portal.
 *
 * @packageDocumentation
 */
export { n8nPlugin as default } from './plugin';
export { n8nScaffolderModule } from './scaffolder/module';
export { signCallback } from './callback/signature';
