import SearchIcon from '@material-ui/icons/Search';
import {
  ApiBlueprint,
  createExtensionInput,
  createFrontendModule,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import searchPlugin from '@backstage/plugin-search/alpha';
import { SearchResultListItemBlueprint } from '@backstage/plugin-search-react/alpha';
import {
  PortalSearchClient,
  portalSearchApiRef,
} from './api/PortalSearchClient';

/** Replaces the search plugin's page (same id, page:search) with the portal's, keeping its route. */
const portalSearchPage = PageBlueprint.makeWithOverrides({
  inputs: {
    items: createExtensionInput([SearchResultListItemBlueprint.dataRefs.item]),
  },
  factory(originalFactory, { inputs }) {
    return originalFactory({
      path: '/search',
      routeRef: searchPlugin.routes.root,
      title: 'Search',
      icon: <SearchIcon fontSize="inherit" />,
      loader: async () => {
        const { PortalSearchPage } = await import('./PortalSearchPage');
        const items = inputs.items.map(item =>
          item.get(SearchResultListItemBlueprint.dataRefs.item),
        );
        return <PortalSearchPage items={items} />;
      },
    });
  },
});

const portalSearchApi = ApiBlueprint.make({
  name: 'portal',
  params: defineParams =>
    defineParams({
      api: portalSearchApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PortalSearchClient(deps),
    }),
});

export const searchModule = createFrontendModule({
  pluginId: 'search',
  extensions: [portalSearchPage, portalSearchApi],
});
