import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SecurityAuditEntry } from '@internal/plugin-security-node';
import { createRegisterNewRepositoryAction } from './registerNewRepository';
import { entitiesOfNewRepository } from './newRepositoryEntities';

const DEVELOPER = 'user:default/erik-larsen';
const NEW_REPOSITORY = {
  host: 'github.com',
  owner: 'quillstack',
  repo: 'rate-limiter',
  branch: 'main',
};

const component = (
  name = 'rate-limiter',
  extra: Record<string, unknown> = {},
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    github.com/project-slug: quillstack/rate-limiter
${Object.entries(extra)
  .map(([k, v]) => `  ${k}: ${v}`)
  .join('\n')}
spec: {type: service, lifecycle: experimental, owner: group:default/team-platform}
`;

describe("a golden path's catalog file", () => {
  it('is one Component in the default namespace, named like its new repository, that says it lives there', () => {
    expect(
      entitiesOfNewRepository(component(), NEW_REPOSITORY).map(
        e => e.metadata.name,
      ),
    ).toEqual(['rate-limiter']);
  });

  it.each([
    [
      'a second entity smuggled in through a template value',
      `${component()}---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: payments}\nspec: {type: service, lifecycle: production, owner: team-x}\n`,
      'defines exactly one Component, not 2 entities',
    ],
    [
      'a Group',
      'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: rate-limiter}\nspec: {type: team, children: []}\n',
      'must define component:default/rate-limiter, not group:default/rate-limiter',
    ],
    [
      'a Component with another name',
      component('payments'),
      'must define component:default/rate-limiter, not component:default/payments',
    ],
    [
      'a Component in another namespace',
      component('rate-limiter', { namespace: 'other' })
        .replace('  namespace: other\n', '')
        .replace('metadata:\n', 'metadata:\n  namespace: other\n'),
      'not component:other/rate-limiter',
    ],
    [
      'a Component of another repository',
      component().replace('quillstack/rate-limiter', 'quillstack/ledger'),
      'names the repository quillstack/ledger, but it is defined in quillstack/rate-limiter',
    ],
  ])('refuses %s', (_, yaml, message) => {
    expect(() => entitiesOfNewRepository(yaml, NEW_REPOSITORY)).toThrow(
      message,
    );
  });
});

describe('golden-paths:catalog:register', () => {
  function run(input: { repoContentsUrl: string; catalogInfoPath?: string }) {
    const audit: SecurityAuditEntry[] = [];
    const readUrl = jest.fn();
    const catalog = catalogServiceMock({ entities: [] });
    const addLocation = jest.spyOn(catalog, 'addLocation');
    const action = createRegisterNewRepositoryAction({
      catalog,
      urlReader: { ...mockServices.urlReader.mock(), readUrl },
      auth: mockServices.auth(),
      audit: { record: async entry => void audit.push(entry) },
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: { github: [{ host: 'github.com' }] },
        }),
      ),
      organizations: ['quillstack'],
    });
    const outcome = action.handler({
      input: { catalogInfoPath: '/catalog-info.yaml', ...input },
      isDryRun: false,
      getInitiatorCredentials: async () => mockCredentials.user(DEVELOPER),
      logger: mockServices.logger.mock(),
      output: jest.fn(),
      checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
      workspacePath: '/nonexistent',
    } as any);
    return { outcome, audit, readUrl, addLocation };
  }

  it.each([
    [
      'a catalog file outside the repository',
      {
        repoContentsUrl: 'https://github.com/quillstack/rate-limiter/blob/main',
        catalogInfoPath: '../../../../evilorg/evil/blob/main/catalog-info.yaml',
      },
      'catalogInfoPath must stay inside the repository',
    ],
    [
      "another organization's repository",
      { repoContentsUrl: 'https://github.com/evilorg/evil/blob/main' },
      'Golden paths register repositories of quillstack only, not of evilorg',
    ],
    [
      'an encoded repository name',
      {
        repoContentsUrl:
          'https://github.com/quillstack/rate%2Flimiter/blob/main',
      },
      'names an owner, repository or branch that is not plain',
    ],
    [
      'a host the portal has no integration for',
      {
        repoContentsUrl:
          'https://git.example.com/quillstack/rate-limiter/blob/main',
      },
      'git.example.com is not a GitHub host this portal is configured for',
    ],
  ])(
    'refuses %s without reading or registering it, and audits the refusal',
    async (_, input, message) => {
      const { outcome, audit, readUrl, addLocation } = run(input);
      await expect(outcome).rejects.toThrow(message);
      expect(readUrl).not.toHaveBeenCalled();
      expect(addLocation).not.toHaveBeenCalled();
      expect(audit).toEqual([
        expect.objectContaining({
          actorRef: DEVELOPER,
          action: 'scaffolder.register',
          outcome: 'denied',
          details: expect.objectContaining({
            reason: expect.stringContaining(message),
          }),
        }),
      ]);
    },
  );

  it('refuses, and audits, a catalog file that defines more than the new service', async () => {
    const { outcome, audit, readUrl, addLocation } = run({
      repoContentsUrl: 'https://github.com/quillstack/rate-limiter/blob/main',
    });
    readUrl.mockResolvedValue({
      buffer: async () =>
        Buffer.from(
          `${component()}---\nkind: Component\napiVersion: backstage.io/v1alpha1\nmetadata: {name: x}\n`,
        ),
    });
    await expect(outcome).rejects.toThrow('exactly one Component');
    expect(readUrl).toHaveBeenCalledWith(
      'https://github.com/quillstack/rate-limiter/blob/main/catalog-info.yaml',
    );
    expect(addLocation).not.toHaveBeenCalled();
    expect(audit).toEqual([expect.objectContaining({ outcome: 'denied' })]);
  });
});
