import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import { keycloakAuthApiRef } from './keycloakAuthApi';
import { signInProvidersFromConfig } from './signInProviders';

describe('signInProvidersFromConfig', () => {
  it('offers guest sign-in when nothing is configured (the embedded development default)', () => {
    expect(signInProvidersFromConfig(undefined)).toEqual(['guest']);
    expect(signInProvidersFromConfig([])).toEqual(['guest']);
  });

  it('maps production providers to GitHub and Keycloak, in the configured order', () => {
    const providers = signInProvidersFromConfig(['oidc', 'github']);
    expect(providers).toHaveLength(2);
    expect(providers[0]).toMatchObject({
      apiRef: keycloakAuthApiRef,
      title: 'Company account',
    });
    expect(providers[1]).toMatchObject({
      apiRef: githubAuthApiRef,
      title: 'GitHub',
    });
  });

  it('names the config key when a provider is unknown', () => {
    expect(() => signInProvidersFromConfig(['gitlab'])).toThrow(
      "Unknown sign-in provider 'gitlab' in app.signIn.providers: use guest, github or oidc",
    );
  });
});
