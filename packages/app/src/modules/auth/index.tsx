import {
  createFrontendModule,
  configApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { SignInPage } from '@backstage/core-components';
import { keycloakAuthApi } from './keycloakAuthApi';
import { signInProvidersFromConfig } from './signInProviders';

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => {
      const configApi = useApi(configApiRef);
      const providers = signInProvidersFromConfig(
        configApi.getOptionalStringArray('app.signIn.providers'),
      );
      return <SignInPage {...props} providers={providers} />;
    },
  },
});

export const authModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, keycloakAuthApi],
});
