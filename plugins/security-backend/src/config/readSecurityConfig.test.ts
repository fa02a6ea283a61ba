import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readSecurityConfig } from './readSecurityConfig';
import { findUnknownMappedGroups } from '../service/mappedGroupsCheck';

const read = (security: object) => () =>
  readSecurityConfig(new ConfigReader({ security }));

describe('readSecurityConfig', () => {
  it('reads the mapping, normalising refs, with safe defaults', () => {
    const config = readSecurityConfig(
      new ConfigReader({
        security: {
          roles: [
            { group: 'Team-Platform', role: 'admin' },
            { group: 'group:default/contractors' },
          ],
          contractorPolicy: { defaultRole: 'contractor-developer' },
        },
      }),
    );
    expect(config.groupRoles).toEqual([
      { group: 'group:default/team-platform', role: 'admin' },
      { group: 'group:default/contractors', role: 'contractor-developer' },
    ]);
    expect(config.defaultRole).toBe('viewer');
    expect(config.contractorPolicy.permissions).toMatchObject({
      canViewCostData: false,
      canAccessProduction: false,
      canTriggerDeployments: false,
      canCreateServices: false,
    });
    expect(config.roleCacheSeconds).toBe(60);
  });

  it.each([
    [
      { roles: [{ group: 'group:default/a', role: 'root' }] },
      "Invalid config at security.roles[0].role: unknown role 'root'",
    ],
    [
      { roles: [{ group: 'user:default/alice', role: 'admin' }] },
      "Invalid config at security.roles[0].group: 'user:default/alice' is a user, not a group",
    ],
    [
      { roles: [{ group: 'group:', role: 'admin' }] },
      'Invalid config at security.roles[0].group',
    ],
    [
      { users: [{ user: 'group:default/x', role: 'admin' }] },
      'Invalid config at security.users[0].user',
    ],
    [
      { defaultRole: 'superuser' },
      "Invalid config at security.defaultRole: unknown role 'superuser'",
    ],
    [
      { contractorPolicy: { defaultRole: 'admin' } },
      'Invalid config at security.contractorPolicy.defaultRole',
    ],
    [
      {
        contractorPolicy: {
          accessBoundaries: { requiresApproval: ['deploy'] },
        },
      },
      "Invalid config at security.contractorPolicy.accessBoundaries.requiresApproval[0]: unknown action 'deploy'",
    ],
    [
      { contractorPolicy: { permissions: { dataRetentionDays: -1 } } },
      'security.contractorPolicy.permissions.dataRetentionDays',
    ],
    [{ roleCacheSeconds: -5 }, 'Invalid config at security.roleCacheSeconds'],
    // 0 days would delete the whole trail at the next retention run.
    [
      { audit: { retentionDays: 0 } },
      'Invalid config at security.audit.retentionDays: must be a number of 1 or more, got 0',
    ],
    [
      { contractorPolicy: { permissions: { dataRetentionDays: 0 } } },
      'Invalid config at security.contractorPolicy.permissions.dataRetentionDays: must be a number of 1 or more',
    ],
    [
      { trustedOrgSources: ['github.com/orgs/quillstack'] },
      'Invalid config at security.trustedOrgSources[0]',
    ],
  ])('fails on %j naming the key', (security, message) => {
    expect(read(security)).toThrow(message);
  });

  it('names the mapped groups the catalog does not know', async () => {
    const config = readSecurityConfig(
      new ConfigReader({
        security: {
          roles: [
            { group: 'group:default/team-platform', role: 'admin' },
            { group: 'group:default/qa', role: 'developer' },
          ],
        },
      }),
    );
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-platform', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
      ],
    });
    expect(
      await findUnknownMappedGroups(config, catalog, mockServices.auth()),
    ).toEqual(['security.roles[1].group (group:default/qa)']);
  });
});
