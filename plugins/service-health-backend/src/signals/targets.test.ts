import { Entity } from '@backstage/catalog-model';
import { githubRepositoryOf } from './targets';

const entity = (location?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'invoice-service',
    annotations: location
      ? { 'backstage.io/managed-by-location': location }
      : {},
  },
});

describe('githubRepositoryOf', () => {
  const fromGithub = entity(
    'url:https://github.com/quillstack/invoice-service/blob/main/catalog-info.yaml',
  );

  it('reads the repository the entity is defined in', () => {
    expect(
      githubRepositoryOf(fromGithub, 'quillstack/invoice-service'),
    ).toEqual({
      owner: 'quillstack',
      repo: 'invoice-service',
    });
  });

  it("refuses a slug that points the portal's token at another repository", () => {
    expect(
      githubRepositoryOf(fromGithub, 'quillstack/payment-gateway'),
    ).toEqual({
      refusal: expect.stringContaining('defined in quillstack/invoice-service'),
    });
  });

  it('refuses what is not owner/repository', () => {
    for (const slug of ['quillstack', 'a/b/c', '../etc/passwd', 'x/y?z=1']) {
      expect(githubRepositoryOf(fromGithub, slug)).toHaveProperty('refusal');
    }
  });

  it('takes entities from files (the development catalog) at their word', () => {
    expect(
      githubRepositoryOf(entity('file:/catalog/x.yaml'), 'quillstack/x'),
    ).toEqual({
      owner: 'quillstack',
      repo: 'x',
    });
  });
});
