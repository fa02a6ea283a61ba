export interface Config {
  app?: {
    signIn?: {
      /**
       * Sign-in options shown on the sign-in page, in order. 'guest' only works in development:
       * the guest provider refuses to sign anyone in when NODE_ENV is production.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github' | 'oidc'>;
    };
  };
}
