import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleUnprocessedEntities from '@backstage/plugin-catalog-backend-module-unprocessed';
import request from 'supertest';
import { parse } from 'yaml';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) =>
  parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));

/** What anyone with commit access to one repository could put in its catalog-info.yaml. */
const ROGUE_CATALOG_INFO = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: rogue-service }
spec: { type: service, lifecycle: experimental, owner: team-billing }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform-friends }
spec: { type: team, parent: team-platform, members: [erik-larsen], children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: mallory }
spec: { memberOf: [team-platform] }
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: { name: more-of-mine }
spec: { targets: [./more.yaml] }
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: exfiltrate-secrets }
spec: { type: service, steps: [] }
`;

describe('catalog rules of the shipped configs', () => {
  it.each([
    ['development (app-config.yaml)', read('app-config.yaml').catalog.rules],
    [
      'production (app-config.production.yaml)',
      read('app-config.production.yaml').catalog.rules,
    ],
  ])(
    "%s: a repository's catalog-info.yaml may describe software, not groups, users, locations or templates",
    async (_name, rules) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rogue-repo-'));
      const file = path.join(dir, 'catalog-info.yaml');
      fs.writeFileSync(file, ROGUE_CATALOG_INFO);
      fs.writeFileSync(
        path.join(dir, 'more.yaml'),
        ROGUE_CATALOG_INFO.replace(/rogue-service/, 'rogue-service-2'),
      );
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleUnprocessedEntities,
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: 'http://localhost:7007' },
              catalog: {
                rules,
                // As GitHub discovery (or a registered location) would bring the repository in.
                locations: [{ type: 'file', target: file }],
              },
            },
          }),
        ],
      });
      const auth = mockCredentials.user.header();
      const get = (ref: string) =>
        request(backend.server)
          .get(`/api/catalog/entities/by-name/${ref}`)
          .set('authorization', auth);
      try {
        // The catalog refuses the whole file, naming the first entity of a kind the location may not hold.
        const deadline = Date.now() + 60_000;
        let refusal: string | undefined;
        while (!refusal) {
          if (Date.now() > deadline) {
            throw new Error('the rogue location was never processed');
          }
          await new Promise(resolve => setTimeout(resolve, 250));
          // A location that fails processing stays unprocessed, carrying its errors.
          const res = await request(backend.server)
            .get('/api/catalog/entities/unprocessed/pending')
            .set('authorization', auth);
          const location = (res.body.entities as any[]).find(
            e => e.unprocessed_entity?.spec?.target === file,
          );
          // The errors column is JSON text; depending on the moment it is read, the API passes it on as text.
          const errors: unknown = location?.errors;
          let parsed = errors;
          try {
            if (typeof errors === 'string') parsed = JSON.parse(errors);
          } catch {
            parsed = [];
          }
          refusal = (Array.isArray(parsed) ? parsed : [])
            .map(error => String(error?.message ?? ''))
            .find(message => message.includes('allowed kind'));
        }
        expect(refusal).toMatch(/is not of an allowed kind for that location/);
        for (const ref of [
          'group/default/platform-friends',
          'user/default/mallory',
          'location/default/more-of-mine',
          'template/default/exfiltrate-secrets',
          'component/default/rogue-service-2',
        ]) {
          expect({ ref, status: (await get(ref)).status }).toEqual({
            ref,
            status: 404,
          });
        }
      } finally {
        await backend.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
