import fc from 'fast-check';
import { parse } from 'yaml';
import { NavItem } from './planMigration';
import {
  REQUIRED_MARKDOWN_EXTENSIONS,
  updateMkdocsConfig,
} from './mkdocsConfig';

const NAV: NavItem[] = [
  {
    '部署流程 Deploying': [
      { '部署流程 Deploying': 'deploying/index.md' },
      { Rollback: 'deploying/rollback.md' },
    ],
  },
  { 'On-call': 'on-call.md' },
];

describe('updateMkdocsConfig', () => {
  it('keeps the repository config and comments, appends the migrated nav and the missing extensions', () => {
    const existing = [
      '# Owned by team-billing',
      'site_name: invoice-service',
      'theme:',
      '  name: material',
      'nav:',
      '  - Overview: index.md',
      'markdown_extensions:',
      '  - admonition',
      '  - toc:',
      '      permalink: true',
      '',
    ].join('\n');
    const updated = updateMkdocsConfig({
      existing,
      existingPages: ['index.md'],
      siteName: 'x',
      nav: NAV,
    });
    expect(updated).toContain('# Owned by team-billing');
    const config = parse(updated);
    expect(config.site_name).toBe('invoice-service');
    expect(config.theme).toEqual({ name: 'material' });
    expect(config.nav).toEqual([{ Overview: 'index.md' }, ...NAV]);
    expect(
      config.markdown_extensions.filter((e: unknown) => e === 'admonition'),
    ).toHaveLength(1);
    expect(config.markdown_extensions).toContainEqual({
      toc: { permalink: true },
    });
  });

  it('without a nav, lists the existing pages first (index first), then the migrated tree', () => {
    const config = parse(
      updateMkdocsConfig({
        existing: 'site_name: svc\n',
        existingPages: ['zeta.md', 'index.md', 'on-call.md'],
        siteName: 'svc',
        nav: NAV,
      }),
    );
    expect(config.nav).toEqual(['index.md', 'zeta.md', ...NAV]);
  });

  it('creates a config for a repository without one', () => {
    const config = parse(
      updateMkdocsConfig({
        existingPages: [],
        siteName: 'pdf-renderer',
        nav: NAV,
      }),
    );
    expect(config).toMatchObject({ site_name: 'pdf-renderer', nav: NAV });
  });

  it('names the problem in an unreadable mkdocs.yml', () => {
    expect(() =>
      updateMkdocsConfig({
        existing: 'nav: [\n',
        existingPages: [],
        siteName: 's',
        nav: [],
      }),
    ).toThrow(/mkdocs.yml is not valid YAML/);
  });

  it('property: migrating again changes nothing (idempotent), and every required extension is present once', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            title: fc.oneof(
              fc.constantFrom('Runbook', '值班 On-call'),
              fc.string({ minLength: 1, maxLength: 12 }),
            ),
            page: fc.stringMatching(/^[a-z]{1,8}\.md$/),
          }),
          {
            maxLength: 8,
          },
        ),
        fc.subarray(REQUIRED_MARKDOWN_EXTENSIONS),
        (pages, present) => {
          const nav = pages.map(p => ({ [p.title]: p.page }));
          const existing = `site_name: s\nnav:\n  - Overview: index.md\n  - Runbook: runbook.md\nmarkdown_extensions:\n${present
            .map(e => `  - ${e}\n`)
            .join('')}`;
          const once = updateMkdocsConfig({
            existing,
            existingPages: [],
            siteName: 's',
            nav,
          });
          const twice = updateMkdocsConfig({
            existing: once,
            existingPages: [],
            siteName: 's',
            nav,
          });
          const extensions: unknown[] = parse(twice).markdown_extensions;
          return (
            once === twice &&
            parse(once).nav.length ===
              nav.length + (nav.some(n => 'Runbook' in n) ? 1 : 2) &&
            REQUIRED_MARKDOWN_EXTENSIONS.every(
              e => extensions.filter(x => x === e).length === 1,
            )
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
