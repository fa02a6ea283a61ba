import { SignInProviderConfig } from '@backstage/core-components';
import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import { keycloakAuthApiRef } from './keycloakAuthApi';

export type SignInProviderId = 'guest' | 'github' | 'oidc';

const PROVIDERS: Record<
  Exclude<SignInProviderId, 'guest'>,
  SignInProviderConfig
> = {
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in with your GitHub account in the quillstack organisation',
    apiRef: githubAuthApiRef,
  },
  oidc: {
    id: 'keycloak-auth-provider',
    title: 'Company account',
    message: 'Sign in with Keycloak (employees and contractors)',
    apiRef: keycloakAuthApiRef,
  },
};

/** Maps app.signIn.providers to the SignInPage's provider list, keeping the configured order. */
export function signInProvidersFromConfig(
  configured: string[] | undefined,
): Array<'guest' | SignInProviderConfig> {
  const ids = configured && configured.length > 0 ? configured : ['guest'];
  return ids.map(id => {
    if (id === 'guest') {
      return 'guest';
    }
    const provider = PROVIDERS[id as keyof typeof PROVIDERS];
    if (!provider) {
      throw new Error(
        `Unknown sign-in provider '${id}' in app.signIn.providers: use guest, github or oidc`,
      );
    }
    return provider;
  });
}
