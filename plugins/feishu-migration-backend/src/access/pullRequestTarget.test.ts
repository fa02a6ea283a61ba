import fc from 'fast-check';
import { Entity } from '@backstage/catalog-model';
import { pullRequestTarget } from './pullRequestTarget';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'invoice-service', annotations },
  spec: {},
});
const DEFINED_IN =
  'url:https://github.com/quillstack/invoice-service/blob/main/catalog-info.yaml';

describe('pullRequestTarget', () => {
  it('is the repository the entity is defined in', () => {
    expect(
      pullRequestTarget(
        entity({
          'github.com/project-slug': 'Quillstack/Invoice-Service',
          'backstage.io/managed-by-location': DEFINED_IN,
        }),
        'github.com',
      ),
    ).toEqual({ slug: 'quillstack/invoice-service' });
  });

  it.each([
    [
      'a slug pointing at another repository',
      {
        'github.com/project-slug': 'quillstack/payment-gateway',
        'backstage.io/managed-by-location': DEFINED_IN,
      },
      'is defined in quillstack/invoice-service',
    ],
    [
      'no slug',
      { 'backstage.io/managed-by-location': DEFINED_IN },
      'has no github.com/project-slug',
    ],
    [
      'an entity from a file',
      {
        'github.com/project-slug': 'quillstack/invoice-service',
        'backstage.io/managed-by-location': 'file:/srv/catalog/invoice.yaml',
      },
      'is not defined in a github.com repository',
    ],
    [
      'an entity from another GitHub host',
      {
        'github.com/project-slug': 'quillstack/invoice-service',
        'backstage.io/managed-by-location':
          'url:https://github.example.com/quillstack/invoice-service/blob/main/catalog-info.yaml',
      },
      'is not defined in a github.com repository',
    ],
  ])('refuses %s', (_what, annotations, refusal) => {
    const result = pullRequestTarget(entity(annotations), 'github.com');
    expect(result).toEqual({ refusal: expect.stringContaining(refusal) });
  });

  it('property: whatever the slug says, the target is never a repository other than the defining one', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
    fc.assert(
      fc.property(
        segment,
        segment,
        segment,
        segment,
        (owner, repo, slugOwner, slugRepo) => {
          const result = pullRequestTarget(
            entity({
              'github.com/project-slug': `${slugOwner}/${slugRepo}`,
              'backstage.io/managed-by-location': `url:https://github.com/${owner}/${repo}/blob/main/catalog-info.yaml`,
            }),
            'github.com',
          );
          return (
            !('slug' in result) ||
            result.slug.toLowerCase() === `${owner}/${repo}`.toLowerCase()
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
