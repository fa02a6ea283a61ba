import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
### Find things

- **[Services](/catalog?filters[kind]=component)**: every service, website, worker and app, with its
  owner, docs, deployments and dependencies.
- **[APIs](/api-docs)**: OpenAPI and AsyncAPI definitions of what each service provides.
- **[Docs](/docs)**: TechDocs built from each repository's \`docs/\` folder.
- **[Teams](/catalog?filters[kind]=group)**: who owns what, and how to reach them.

### Create things

Start a new service from a [golden path](/create): Java, Go, React or React Native, with CI,
Helm chart, Argo CD application and Datadog monitors set up.

### Get help

Ask in \`#platform\` on Slack, or open an issue on the portal's repository.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Welcome to the Quillstack developer portal',
    description: 'Where to find services, APIs, docs and golden paths',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
