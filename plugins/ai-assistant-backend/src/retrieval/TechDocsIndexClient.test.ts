import { sectionsWithoutWholePages } from './TechDocsIndexClient';

describe('sectionsWithoutWholePages', () => {
  it('keeps each sentence of a page once: its sections, titled with the page, and what precedes the first heading', () => {
    const sections = sectionsWithoutWholePages([
      {
        location: '',
        title: 'Overview',
        text: 'Read this first. customer-web ¶ The web app. Talks to ¶ The gateway.',
      },
      {
        location: '#customer-web',
        title: 'customer-web',
        text: 'The web app.',
      },
      { location: '#talks-to', title: 'Talks to', text: 'The gateway.' },
      {
        location: 'local-development/',
        title: 'Local development',
        text: 'Local development ¶ pnpm dev',
      },
      {
        location: 'local-development/#local-development',
        title: 'Local development',
        text: 'pnpm dev',
      },
      { location: 'faq/', title: 'FAQ', text: 'A page with no headings.' },
    ]);
    expect(sections).toEqual([
      { location: '', title: 'Overview', text: 'Read this first.' },
      {
        location: '#customer-web',
        title: 'customer-web',
        text: 'The web app.',
        pageTitle: 'Overview',
      },
      {
        location: '#talks-to',
        title: 'Talks to',
        text: 'The gateway.',
        pageTitle: 'Overview',
      },
      {
        location: 'local-development/#local-development',
        title: 'Local development',
        text: 'pnpm dev',
        pageTitle: 'Local development',
      },
      { location: 'faq/', title: 'FAQ', text: 'A page with no headings.' },
    ]);
  });
});
