import * as lark from '@larksuiteoapi/node-sdk';
import { backOff } from 'exponential-backoff';
import { FeishuBlock, FeishuComment } from '../converter/feishuBlocks';

export interface FeishuClientOptions {
  /** https://open.feishu.cn, https://open.larksuite.com, or the sandbox. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Attempts per request when Feishu answers 429; default 6. */
  maxAttempts?: number;
}

export interface WikiSpace {
  space_id: string;
  name: string;
  description?: string;
}

export interface WikiNode {
  space_id: string;
  node_token: string;
  obj_token: string;
  obj_type: string;
  parent_node_token: string;
  has_child: boolean;
  title: string;
  obj_edit_time?: string;
}

export interface DriveFile {
  token: string;
  name: string;
  /** docx, doc, sheet, bitable, file, folder, ... */
  type: string;
  parent_token: string;
  url?: string;
}

export interface PermissionMember {
  member_type: string;
  member_id: string;
  perm: string;
}

/** A Feishu API error with the platform's code and message, e.g. 131005 "not found: node". */
export class FeishuApiError extends Error {
  constructor(
    readonly path: string,
    readonly code: number | undefined,
    message: string,
    readonly status?: number,
  ) {
    super(
      `Feishu ${path} failed${status ? ` with HTTP ${status}` : ''}: ${
        code ?? ''
      } ${message}`.trim(),
    );
    this.name = 'FeishuApiError';
  }
}

/** Wiki and docx lists page as {items, page_token}; drive file lists as {files, next_page_token}. */
interface Page<T> {
  items?: T[];
  files?: T[];
  has_more?: boolean;
  page_token?: string;
  next_page_token?: string;
}

function retryAfterSeconds(error: any): number | undefined {
  if (error?.response?.status !== 429) return undefined;
  const headers = error.response.headers ?? {};
  const value = Number(
    headers['x-ogw-ratelimit-reset'] ?? headers['retry-after'] ?? 1,
  );
  return Number.isFinite(value) && value >= 0 ? Math.min(value, 30) : 1;
}

/**
 * The one client of the Feishu / Lark Open Platform: the SDK handles the tenant access token; this class
 * pages through lists, backs off on 429 (honouring the reset header), and turns error codes into
 * FeishuApiError.
 */
export class FeishuClient {
  private readonly client: lark.Client;
  private readonly maxAttempts: number;

  constructor(options: FeishuClientOptions) {
    this.client = new lark.Client({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: options.baseUrl.replace(/\/+$/, ''),
      appType: lark.AppType.SelfBuild,
      // Failures reach the caller as FeishuApiError; the SDK's own console logging would only repeat them.
      logger: {
        error: () => {},
        warn: () => {},
        info: () => {},
        debug: () => {},
        trace: () => {},
      },
    });
    this.maxAttempts = options.maxAttempts ?? 6;
  }

  private async call<T>(
    url: string,
    params: Record<string, unknown> = {},
    responseType?: 'arraybuffer',
    postData?: unknown,
  ): Promise<T> {
    const run = () =>
      this.client.request<any>({
        method: postData === undefined ? 'GET' : 'POST',
        url,
        params,
        ...(postData === undefined ? {} : { data: postData }),
        ...(responseType ? { responseType } : {}),
      });
    let response: any;
    try {
      response = await backOff(run, {
        numOfAttempts: this.maxAttempts,
        startingDelay: 100,
        jitter: 'full',
        retry: async error => {
          const wait = retryAfterSeconds(error);
          if (wait === undefined) return false;
          await new Promise(resolve => setTimeout(resolve, wait * 1000));
          return true;
        },
      });
    } catch (error: any) {
      const body = error?.response?.data;
      throw new FeishuApiError(
        url,
        body?.code,
        body?.msg ?? error?.message ?? String(error),
        error?.response?.status,
      );
    }
    if (responseType) {
      return response as T;
    }
    if (response?.code !== 0) {
      throw new FeishuApiError(
        url,
        response?.code,
        response?.msg ?? 'unexpected response',
      );
    }
    return response.data as T;
  }

  private async all<T>(
    url: string,
    params: Record<string, unknown>,
    pageSize: number,
  ): Promise<T[]> {
    const items: T[] = [];
    let pageToken = '';
    do {
      const page = await this.call<Page<T>>(url, {
        ...params,
        page_size: pageSize,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      items.push(...(page.items ?? page.files ?? []));
      pageToken = page.has_more
        ? page.page_token ?? page.next_page_token ?? ''
        : '';
    } while (pageToken);
    return items;
  }

  listSpaces(): Promise<WikiSpace[]> {
    return this.all('/open-apis/wiki/v2/spaces', {}, 50);
  }

  listNodes(spaceId: string, parentNodeToken = ''): Promise<WikiNode[]> {
    return this.all(
      `/open-apis/wiki/v2/spaces/${encodeURIComponent(spaceId)}/nodes`,
      parentNodeToken ? { parent_node_token: parentNodeToken } : {},
      50,
    );
  }

  /** Every node of a space, depth first, parents before children. */
  async listNodeTree(spaceId: string): Promise<WikiNode[]> {
    const visit = async (parent: string): Promise<WikiNode[]> => {
      const nodes = await this.listNodes(spaceId, parent);
      const nested = await Promise.all(
        nodes.map(node => (node.has_child ? visit(node.node_token) : [])),
      );
      return nodes.flatMap((node, i) => [node, ...nested[i]]);
    };
    return visit('');
  }

  /** A drive folder's files and sub-folders. */
  listFolder(folderToken: string): Promise<DriveFile[]> {
    return this.all(
      '/open-apis/drive/v1/files',
      { folder_token: folderToken },
      200,
    );
  }

  /** Every file under a drive folder, depth first, folders before their contents. */
  async listFolderTree(folderToken: string): Promise<DriveFile[]> {
    const entries = await this.listFolder(folderToken);
    const nested = await Promise.all(
      entries.map(entry =>
        entry.type === 'folder' ? this.listFolderTree(entry.token) : [],
      ),
    );
    return entries.flatMap((entry, i) => [entry, ...nested[i]]);
  }

  async getNode(nodeToken: string): Promise<WikiNode> {
    const data = await this.call<{ node: WikiNode }>(
      '/open-apis/wiki/v2/spaces/get_node',
      { token: nodeToken },
    );
    return data.node;
  }

  listDocumentBlocks(documentId: string): Promise<FeishuBlock[]> {
    return this.all(
      `/open-apis/docx/v1/documents/${encodeURIComponent(documentId)}/blocks`,
      { document_revision_id: -1 },
      500,
    );
  }

  async listComments(documentId: string): Promise<FeishuComment[]> {
    const comments = await this.all<any>(
      `/open-apis/drive/v1/files/${encodeURIComponent(documentId)}/comments`,
      { file_type: 'docx' },
      100,
    );
    return comments.map(comment => {
      const replies = comment.reply_list?.replies ?? [];
      const first = replies[0];
      return {
        commentId: String(comment.comment_id),
        blockId: first?.extra?.block_id,
        quote: comment.quote,
        author: String(comment.user_id),
        content: (first?.content?.elements ?? [])
          .map((e: any) => e.text_run?.text ?? '')
          .join(''),
      };
    });
  }

  async listPermissionMembers(documentId: string): Promise<PermissionMember[]> {
    const data = await this.call<{ items?: PermissionMember[] }>(
      `/open-apis/drive/v1/permissions/${encodeURIComponent(
        documentId,
      )}/members`,
      { type: 'docx' },
    );
    return data.items ?? [];
  }

  async downloadMedia(token: string): Promise<Buffer> {
    const data = await this.call<ArrayBuffer | Buffer>(
      `/open-apis/drive/v1/medias/${encodeURIComponent(token)}/download`,
      {},
      'arraybuffer',
    );
    return Buffer.isBuffer(data) ? data : Buffer.from(data);
  }

  /** Display names for mentions and comment authors; a user the app may not read keeps their id. */
  async userNames(
    openIds: Iterable<string>,
    cache = new Map<string, Promise<string>>(),
  ): Promise<Record<string, string>> {
    const names: Record<string, string> = {};
    for (const id of openIds) {
      if (!cache.has(id)) {
        cache.set(
          id,
          this.userName(id).catch(() => id),
        );
      }
      names[id] = await cache.get(id)!;
    }
    return names;
  }

  /** The open_id of the Feishu user with this e-mail address, if the tenant has one. */
  async findUserIdByEmail(email: string): Promise<string | undefined> {
    const data = await this.call<{
      user_list?: Array<{ user_id?: string; email?: string }>;
    }>(
      '/open-apis/contact/v3/users/batch_get_id',
      { user_id_type: 'open_id' },
      undefined,
      { emails: [email] },
    );
    return data.user_list?.find(u => u.user_id)?.user_id;
  }

  /** The departments (open_department_id) a user is directly in. */
  async userDepartments(openId: string): Promise<string[]> {
    const data = await this.call<{ user: { department_ids?: string[] } }>(
      `/open-apis/contact/v3/users/${encodeURIComponent(openId)}`,
      { user_id_type: 'open_id', department_id_type: 'open_department_id' },
    );
    return data.user.department_ids ?? [];
  }

  /** The open_ids of a group chat's members. */
  async listChatMembers(chatId: string): Promise<string[]> {
    const members = await this.all<{ member_id: string }>(
      `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}/members`,
      { member_id_type: 'open_id' },
      100,
    );
    return members.map(member => member.member_id);
  }

  async userName(openId: string): Promise<string> {
    const data = await this.call<{ user: { name: string } }>(
      `/open-apis/contact/v3/users/${encodeURIComponent(openId)}`,
      { user_id_type: 'open_id' },
    );
    return data.user.name;
  }
}
