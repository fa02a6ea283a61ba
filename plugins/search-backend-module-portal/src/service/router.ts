import express from 'express';
import Router from 'express-promise-router';
import { CacheService, HttpAuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PortalSearchEngine } from '../engines/PortalSearchEngine';
import { IndexedDocumentStore } from '../database/IndexedDocumentStore';
import { suggestionsAndSpelling } from '../suggestions/suggestionsFor';
import { cachedReadableRefsOf } from '@internal/plugin-security-node';
import { searchQueryOf } from './searchQueryOf';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  cache: CacheService;
  engine: PortalSearchEngine;
  documents: IndexedDocumentStore;
  /** The result types search indexes (software-catalog, techdocs, ...). */
  types: () => string[];
}

/**
 * Beside Backstage's GET /query: facet counts and "did you mean" suggestions, each over only what the
 * caller may read, and which types are indexed yet.
 */
export function createPortalSearchRouter(
  options: RouterOptions,
): express.Router {
  const { httpAuth, catalog, cache, engine, documents } = options;
  const router = Router();
  const readable = async (req: express.Request) =>
    cachedReadableRefsOf(
      cache,
      catalog,
      await httpAuth.credentials(req, { allow: ['user', 'service'] }),
    );

  router.get('/facets', async (req, res) => {
    const query = searchQueryOf(req.query);
    res.json({ facets: await engine.facets(query, await readable(req)) });
  });

  router.get('/suggestions', async (req, res) => {
    const { term } = searchQueryOf({ term: req.query.term });
    const titles = await documents.titles(await readable(req));
    res.json(suggestionsAndSpelling(term, titles));
  });

  router.get('/index-status', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const counts = await documents.countsByType();
    res.json({
      types: Object.fromEntries(
        options
          .types()
          .map(type => [type, { indexed: (counts.get(type) ?? 0) > 0 }]),
      ),
    });
  });
  return router;
}
