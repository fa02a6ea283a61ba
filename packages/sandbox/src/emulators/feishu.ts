import express from 'express';
import { crc32, deflateSync } from 'node:zlib';
import { DemoCatalog } from '../demoCatalog';
import { SANDBOX_CREDENTIALS, bearerToken } from '../credentials';
import { seededHex } from '../seeded';
import { buildFeishuWorkspace, WorkspaceDoc } from './feishuWorkspace';
import type { EmulatorOptions } from '../sandbox';

const TENANT_TOKEN = `t-g1049${seededHex(32, 'feishu-tenant-token')}`;

/**
 * Feishu / Lark Open Platform, the subset the portal reads: the tenant access token and
 * GET /open-apis/wiki/v2/spaces. One wiki space per team, plus the engineering handbook.
 */
export function feishuEmulator(
  catalog: DemoCatalog,
  options?: EmulatorOptions,
) {
  const app = express();
  app.use(express.json());

  const workspace = buildFeishuWorkspace(catalog, {
    archiveDocuments: options?.feishuArchiveDocuments,
  });
  const spaces = workspace.spaces.map(space => ({
    name: space.name,
    description: space.description,
    space_id: space.spaceId,
    space_type: 'team',
    visibility: 'private',
    open_sharing: 'closed',
  }));
  const docById = new Map(workspace.docs.map(doc => [doc.documentId, doc]));
  const docByNode = new Map(workspace.docs.map(doc => [doc.nodeToken, doc]));

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

  let windowStart = 0;
  let windowCount = 0;
  app.use('/open-apis', (req, res, next) => {
    const limit = options?.feishuRequestsPerSecond;
    if (limit && !req.path.startsWith('/auth/')) {
      const second = Math.floor(Date.now() / 1000);
      windowCount = second === windowStart ? windowCount + 1 : 1;
      windowStart = second;
      if (windowCount > limit) {
        options!.stats.feishuRateLimited++;
        res.setHeader('x-ogw-ratelimit-limit', String(limit));
        res.setHeader('x-ogw-ratelimit-reset', '1');
        res
          .status(429)
          .json({ code: 99991400, msg: 'request trigger frequency limit' });
        return;
      }
    }
    next();
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
    sendPage(req, res, spaces, 50);
  });

  app.get('/open-apis/wiki/v2/spaces/:spaceId/nodes', (req, res) => {
    if (!spaces.some(space => space.space_id === req.params.spaceId)) {
      res.status(400).json({ code: 131005, msg: 'not found: space' });
      return;
    }
    const parent = String(req.query.parent_node_token ?? '');
    const nodes = workspace.docs
      .filter(
        doc =>
          doc.spaceId === req.params.spaceId && doc.parentNodeToken === parent,
      )
      .map(doc => wikiNode(doc, workspace.docs));
    sendPage(req, res, nodes, 50);
  });

  app.get('/open-apis/wiki/v2/spaces/get_node', (req, res) => {
    const doc = docByNode.get(String(req.query.token ?? ''));
    if (!doc) {
      res.status(400).json({ code: 131005, msg: 'not found: node' });
      return;
    }
    res.json({
      code: 0,
      msg: 'success',
      data: { node: wikiNode(doc, workspace.docs) },
    });
  });

  app.get('/open-apis/docx/v1/documents/:documentId', (req, res) => {
    const doc = docById.get(req.params.documentId);
    if (!doc) {
      res.status(404).json({ code: 1770002, msg: 'not found' });
      return;
    }
    res.json({
      code: 0,
      msg: 'success',
      data: {
        document: {
          document_id: doc.documentId,
          revision_id: 12,
          title: doc.title,
        },
      },
    });
  });

  app.get('/open-apis/docx/v1/documents/:documentId/blocks', (req, res) => {
    const doc = docById.get(req.params.documentId);
    if (!doc) {
      res.status(404).json({ code: 1770002, msg: 'not found' });
      return;
    }
    sendPage(req, res, doc.blocks, 500);
  });

  // Drive folders: GET /open-apis/drive/v1/files?folder_token= lists a folder's files and sub-folders.
  app.get('/open-apis/drive/v1/files', (req, res) => {
    const folder = String(req.query.folder_token ?? '');
    if (folder && !workspace.folders.some(f => f.token === folder)) {
      res.status(400).json({ code: 1061007, msg: 'file has been delete.' });
      return;
    }
    const files = [
      ...workspace.folders
        .filter(f => f.parentToken === folder)
        .map(f => ({
          token: f.token,
          name: f.name,
          type: 'folder',
          parent_token: folder,
          url: `https://quillstack.feishu.cn/drive/folder/${f.token}`,
        })),
      ...workspace.docs
        .filter(doc => folder && workspace.folderOf[doc.documentId] === folder)
        .map(doc => ({
          token: doc.documentId,
          name: doc.title,
          type: 'docx',
          parent_token: folder,
          url: `https://quillstack.feishu.cn/docx/${doc.documentId}`,
          modified_time: '1763000000',
        })),
    ];
    sendPage(req, res, files, 200, 'files');
  });

  app.get('/open-apis/drive/v1/files/:fileToken/comments', (req, res) => {
    const doc = docById.get(req.params.fileToken);
    if (!doc || req.query.file_type !== 'docx') {
      res
        .status(400)
        .json({ code: 1069302, msg: 'param error: file_token or file_type' });
      return;
    }
    const comments = doc.comments.map(c => ({
      comment_id: c.comment_id,
      user_id: c.user_id,
      create_time: 1_763_000_000,
      is_solved: false,
      is_whole: false,
      quote: c.quote,
      reply_list: {
        replies: [
          {
            reply_id: `${c.comment_id}1`,
            user_id: c.user_id,
            content: {
              elements: [{ type: 'text_run', text_run: { text: c.text } }],
            },
            extra: { block_id: c.block_id },
          },
        ],
      },
    }));
    sendPage(req, res, comments, 100);
  });

  app.get('/open-apis/drive/v1/permissions/:token/members', (req, res) => {
    const doc = docById.get(req.params.token);
    if (!doc) {
      res
        .status(400)
        .json({ code: 1063002, msg: 'permission denied or not found' });
      return;
    }
    res.json({ code: 0, msg: 'success', data: { items: doc.members } });
  });

  app.get('/open-apis/drive/v1/medias/:token/download', (req, res) => {
    if (!workspace.images.includes(req.params.token)) {
      res.status(404).json({ code: 1061004, msg: 'not found' });
      return;
    }
    res.setHeader('content-type', 'image/png');
    res.send(placeholderPng(req.params.token));
  });

  // Users by e-mail, as the portal matches a signed-in person to their Feishu account.
  app.post('/open-apis/contact/v3/users/batch_get_id', (req, res) => {
    const emails: string[] = Array.isArray(req.body?.emails)
      ? req.body.emails
      : [];
    res.json({
      code: 0,
      msg: 'success',
      data: {
        user_list: emails.map(email => {
          const user = workspace.users.find(
            u => u.email.toLowerCase() === String(email).toLowerCase(),
          );
          return user ? { user_id: user.openId, email } : { email };
        }),
      },
    });
  });

  app.get('/open-apis/im/v1/chats/:chatId/members', (req, res) => {
    const members = workspace.users
      .filter(u => u.chatIds.includes(req.params.chatId))
      .map(u => ({
        member_id_type: 'open_id',
        member_id: u.openId,
        name: u.name,
        tenant_key: 'quillstack',
      }));
    if (members.length === 0) {
      res.status(400).json({ code: 232011, msg: 'chat not found' });
      return;
    }
    sendPage(req, res, members, 100);
  });

  app.get('/open-apis/contact/v3/users/:userId', (req, res) => {
    const user = workspace.users.find(u => u.openId === req.params.userId);
    if (!user) {
      res.status(400).json({ code: 41050, msg: 'no user authority error' });
      return;
    }
    res.json({
      code: 0,
      msg: 'success',
      data: {
        user: {
          open_id: user.openId,
          name: user.name,
          en_name: user.name,
          email: user.email,
          department_ids: user.departmentIds,
        },
      },
    });
  });
  return app;
}

function wikiNode(doc: WorkspaceDoc, all: WorkspaceDoc[]) {
  return {
    space_id: doc.spaceId,
    node_token: doc.nodeToken,
    obj_token: doc.documentId,
    obj_type: 'docx',
    parent_node_token: doc.parentNodeToken,
    node_type: 'origin',
    has_child: all.some(other => other.parentNodeToken === doc.nodeToken),
    title: doc.title,
    obj_create_time: '1735689600',
    obj_edit_time: '1763000000',
  };
}

/**
 * Feishu pages with page_size and an opaque page_token; page_size is validated as the real API does. Wiki and
 * docx lists answer {items, page_token}; drive file lists answer {files, next_page_token}.
 */
function sendPage(
  req: express.Request,
  res: express.Response,
  items: unknown[],
  maxPageSize: number,
  shape: 'items' | 'files' = 'items',
) {
  const pageSize = Number(req.query.page_size ?? 20);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    res
      .status(400)
      .json({ code: 99992402, msg: 'field validation failed: page_size' });
    return;
  }
  const offset = req.query.page_token
    ? Number(Buffer.from(String(req.query.page_token), 'base64url').toString())
    : 0;
  const hasMore = offset + pageSize < items.length;
  const next = hasMore
    ? Buffer.from(String(offset + pageSize)).toString('base64url')
    : '';
  res.json({
    code: 0,
    msg: 'success',
    data:
      shape === 'items'
        ? {
            items: items.slice(offset, offset + pageSize),
            has_more: hasMore,
            page_token: next,
          }
        : {
            files: items.slice(offset, offset + pageSize),
            has_more: hasMore,
            ...(hasMore ? { next_page_token: next } : {}),
          },
  });
}

/** A valid 1×1 PNG whose colour depends on the token, so every image has stable, distinct bytes. */
function placeholderPng(token: string): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rgb = Buffer.from(seededHex(6, token), 'hex');
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat([Buffer.from([0]), rgb]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
