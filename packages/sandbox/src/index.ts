export {
  startSandbox,
  UPSTREAMS,
  DEFAULT_SANDBOX_PORTS,
  type RunningSandbox,
  type SandboxOptions,
  type Upstream,
  type EmulatorOptions,
} from './sandbox';
export { SANDBOX_CREDENTIALS } from './credentials';
export {
  SANDBOX_MODELS,
  SANDBOX_EMBEDDING_MODEL,
  llmEmulator,
  startModelEmulator,
  type LlmControl,
} from './emulators/llm';
export { AWS_VARIANCE_SERVICE } from './emulators/awsCostExplorer';
export {
  loadDemoCatalog,
  servedEntities,
  DEFAULT_CATALOG_DIR,
  type ServedEntity,
  type DemoCatalog,
  type DemoComponent,
} from './demoCatalog';
export {
  buildFeishuWorkspace,
  type FeishuWorkspace,
  type WorkspaceDoc,
} from './emulators/feishuWorkspace';
export {
  SandboxEvents,
  type RepositoryPushed,
} from './emulators/githubPublished';
