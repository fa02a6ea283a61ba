import express from 'express';
import { DemoCatalog } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { seededHex, seededInt } from '../seeded';

const TENANT_TOKEN = `t-g1049${seededHex(32, 'feishu-tenant-token')}`;

/**
 * Feishu / Lark Open Platform, the subset the portal reads: the tenant access token and
 * GET /open-apis/wiki/v2/spaces. One wiki space per team, plus the engineering handbook.
 */
export function feishuEmulator(catalog: DemoCatalog) {
  const app = express();
  app.use(express.json());

  const teams = catalog.entities.filter(
    e => e.kind === 'Group' && e.spec.type === 'team',
  );
  const spaces = [
    {
      name: '工程手册 Engineering Handbook',
      description:
        'How we build, review, deploy and operate software at Quillstack.',
    },
    ...teams.map(team => ({
      name: `${team.metadata.title} 团队空间`,
      description: team.metadata.description ?? '',
    })),
  ].map(space => ({
    ...space,
    // Feishu ids are 19-digit strings, beyond a JavaScript number's precision.
    space_id: `7${seededInt(1e8, 1e9 - 1, space.name, 'high')}${seededInt(
      1e8,
      1e9 - 1,
      space.name,
      'low',
    )}`,
    space_type: 'team',
    visibility: 'private',
    open_sharing: 'closed',
  }));

  app.post('/open-apis/auth/v3/tenant_access_token/internal', (req, res) => {
    const { app_id: appId, app_secret: appSecret } = req.body ?? {};
    if (!appId || !appSecret) {
      res.status(400).json({ code: 10003, msg: 'invalid param' });
      return;
    }
    if (
      appId !== SANDBOX_CREDENTIALS.feishuAppId ||
      appSecret !== SANDBOX_CREDENTIALS.feishuAppSecret
    ) {
      res.status(400).json({ code: 10014, msg: 'app secret invalid' });
      return;
    }
    res.json({
      code: 0,
      msg: 'ok',
      tenant_access_token: TENANT_TOKEN,
      expire: 7200,
    });
  });

  app.use('/open-apis', (req, res, next) => {
    if (bearerToken(req.header('authorization')) !== TENANT_TOKEN) {
      res.status(400).json({
        code: 99991663,
        msg: 'Invalid access token for authorization. Please make a request with token attached.',
      });
      return;
    }
    next();
  });

  app.get('/open-apis/wiki/v2/spaces', (req, res) => {
    const pageSize = Number(req.query.page_size ?? 20);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) {
      res
        .status(400)
        .json({ code: 99992402, msg: 'field validation failed: page_size' });
      return;
    }
    const offset = req.query.page_token
      ? Number(
          Buffer.from(String(req.query.page_token), 'base64url').toString(),
        )
      : 0;
    const items = spaces.slice(offset, offset + pageSize);
    const hasMore = offset + pageSize < spaces.length;
    res.json({
      code: 0,
      msg: 'success',
      data: {
        items,
        has_more: hasMore,
        page_token: hasMore
          ? Buffer.from(String(offset + pageSize)).toString('base64url')
          : '',
      },
    });
  });
  return app;
}
