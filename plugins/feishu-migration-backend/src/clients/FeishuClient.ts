import * as lark from '@larksuiteoapi/node-sdk';
import axios, { AxiosInstance } from 'axios';
import { backOff } from 'exponential-backoff';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { FeishuBlock, FeishuComment } from '../converter/feishuBlocks';

export interface FeishuClientOptions {
  /** https://open.feishu.cn, https://open.larksuite.com, or the sandbox. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Attempts per request when Feishu answers 5xx or the connection fails; default 6. */
  maxAttempts?: number;
  /**
   * How long a request keeps waiting its turn while Feishu answers 429 (each time as long as Feishu asks);
   * default 60 s. Under a sustained rate limit many callers wait their turn, and six turns are not always
   * enough.
   */
  rateLimitPatienceMs?: number;
  /** How long one request may take before it counts as failed; default 30 s. */
  requestTimeoutMs?: number;
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

/** The SDK's wiki node, with the fields the portal relies on present. */
function wikiNodeOf(node: {
  space_id?: string;
  node_token?: string;
  obj_token?: string;
  obj_type?: string;
  parent_node_token?: string;
  has_child?: boolean;
  title?: string;
  obj_edit_time?: string;
}): WikiNode {
  return {
    space_id: node.space_id ?? '',
    node_token: node.node_token ?? '',
    obj_token: node.obj_token ?? '',
    obj_type: node.obj_type ?? '',
    parent_node_token: node.parent_node_token ?? '',
    has_child: node.has_child ?? false,
    title: node.title ?? '',
    ...(node.obj_edit_time ? { obj_edit_time: node.obj_edit_time } : {}),
  };
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

/** Feishu's answers for "no such space, node, document or folder" (or none the app may see). */
const NOT_FOUND_CODES = new Set([
  131005, 1770002, 1061004, 1061003, 1061007, 1063002,
]);

/** Connection failures worth another attempt: reset, refused, timed out. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
]);

/** Seconds to wait before retrying a failed call, or undefined when retrying cannot help. */
export function retryDelaySeconds(error: any): number | undefined {
  const status = error?.response?.status;
  if (status === 429) {
    const headers = error.response.headers ?? {};
    const value = Number(
      headers['x-ogw-ratelimit-reset'] ?? headers['retry-after'] ?? 1,
    );
    return Number.isFinite(value) && value >= 0 ? Math.min(value, 30) : 1;
  }
  if (typeof status === 'number' && status >= 500) return 0;
  if (status === undefined && TRANSIENT_NETWORK_CODES.has(error?.code)) {
    return 0;
  }
  return undefined;
}

/** The SDK's default HTTP instance, with a timeout: a request that hangs fails instead of holding a job. */
function httpInstanceWithTimeout(timeoutMs: number): lark.HttpInstance {
  const http: AxiosInstance = axios.create({ timeout: timeoutMs });
  http.interceptors.response.use(response =>
    (response.config as { $return_headers?: boolean }).$return_headers
      ? ({ data: response.data, headers: response.headers } as any)
      : response.data,
  );
  // The interceptor makes every response its body, which is what the SDK's HttpInstance promises.
  return http as unknown as lark.HttpInstance;
}

/**
 * Whether the portal's error says Feishu did not answer (timed out, rate limited, failed with 5xx, the
 * connection broke), as opposed to answering with a refusal.
 */
export function isFeishuOutage(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (!(cause instanceof FeishuApiError)) return false;
  if (cause.status === undefined) return cause.code === undefined;
  return cause.status === 429 || cause.status >= 500;
}

/** A Feishu failure as the error the portal reports: unknown things are 404, everything else 503, never a 500. */
function portalError(what: string, error: FeishuApiError): Error {
  if (error.code !== undefined && NOT_FOUND_CODES.has(error.code)) {
    return new NotFoundError(
      `${what} does not exist in Feishu, or the portal's Feishu app may not read it`,
      error,
    );
  }
  return new ServiceUnavailableError(
    `Feishu did not answer for ${what}; try again shortly (${error.message})`,
    error,
  );
}

/**
 * The one client of the Feishu / Lark Open Platform: the SDK handles the tenant access token; this class
 * pages through lists, times every request out, retries 429 (honouring the reset header), 5xx and broken
 * connections, and reports failures as NotFoundError (Feishu has no such thing, or the app may not see
 * it) or ServiceUnavailableError (Feishu failed), each caused by a FeishuApiError with Feishu's code.
 */
export class FeishuClient {
  private readonly client: lark.Client;
  private readonly maxAttempts: number;
  private readonly rateLimitPatienceMs: number;

  constructor(options: FeishuClientOptions) {
    this.client = new lark.Client({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: options.baseUrl.replace(/\/+$/, ''),
      appType: lark.AppType.SelfBuild,
      httpInstance: httpInstanceWithTimeout(options.requestTimeoutMs ?? 30_000),
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
    this.rateLimitPatienceMs = options.rateLimitPatienceMs ?? 60_000;
  }

  /** Runs one request with retries, and reports its failure as the portal's error. */
  private async attempt<R>(what: string, url: string, run: () => Promise<R>) {
    try {
      const started = Date.now();
      return await backOff(run, {
        // Bounded by the attempts for failures, and by the patience for rate limits.
        numOfAttempts: Number.MAX_SAFE_INTEGER,
        startingDelay: 100,
        maxDelay: 2000,
        jitter: 'full',
        retry: async (error, attemptNumber) => {
          const wait = retryDelaySeconds(error);
          if (wait === undefined) return false;
          const gaveUp =
            error?.response?.status === 429
              ? Date.now() - started + wait * 1000 > this.rateLimitPatienceMs
              : attemptNumber >= this.maxAttempts;
          if (gaveUp) return false;
          if (wait > 0) {
            await new Promise(resolve => setTimeout(resolve, wait * 1000));
          }
          return true;
        },
      });
    } catch (error: any) {
      const body = error?.response?.data;
      throw portalError(
        what,
        new FeishuApiError(
          url,
          body?.code,
          body?.msg ?? error?.message ?? String(error),
          error?.response?.status,
        ),
      );
    }
  }

  /** The data of an answer that reports success (code 0), or the portal's error for Feishu's code. */
  private dataOf<T>(
    what: string,
    url: string,
    response: { code?: number; msg?: string; data?: T } | undefined,
  ): T {
    if (response?.code !== 0 || response.data === undefined) {
      throw portalError(
        what,
        new FeishuApiError(
          url,
          response?.code,
          response?.msg ?? 'unexpected response',
        ),
      );
    }
    return response.data;
  }

  /** An endpoint the SDK has no typed method for. */
  private async call<T>(
    /** What the call reads, as a person would name it in an error message. */
    what: string,
    url: string,
    params: Record<string, unknown> = {},
    responseType?: 'arraybuffer',
    postData?: unknown,
  ): Promise<T> {
    const response = await this.attempt(what, url, () =>
      this.client.request<any>({
        method: postData === undefined ? 'GET' : 'POST',
        url,
        params,
        ...(postData === undefined ? {} : { data: postData }),
        ...(responseType ? { responseType } : {}),
      }),
    );
    return responseType ? (response as T) : this.dataOf<T>(what, url, response);
  }

  /** Every item of a list the SDK pages through with page_token, each page retried on its own. */
  private async pages<T>(
    what: string,
    url: string,
    fetchPage: (pageToken: string | undefined) => Promise<{
      code?: number;
      msg?: string;
      data?: { items?: T[]; has_more?: boolean; page_token?: string };
    }>,
  ): Promise<T[]> {
    const items: T[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = this.dataOf(
        what,
        url,
        await this.attempt(what, url, () => fetchPage(token)),
      );
      items.push(...(page.items ?? []));
      pageToken = page.has_more ? page.page_token || undefined : undefined;
    } while (pageToken);
    return items;
  }

  private async all<T>(
    what: string,
    url: string,
    params: Record<string, unknown>,
    pageSize: number,
  ): Promise<T[]> {
    const items: T[] = [];
    let pageToken = '';
    do {
      const page = await this.call<Page<T>>(what, url, {
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

  async listSpaces(): Promise<WikiSpace[]> {
    const spaces = await this.pages(
      'The wiki spaces',
      '/open-apis/wiki/v2/spaces',
      pageToken =>
        this.client.wiki.space.list({
          params: { page_size: 50, page_token: pageToken },
        }),
    );
    return spaces.map(space => ({
      space_id: space.space_id ?? '',
      name: space.name ?? '',
      ...(space.description ? { description: space.description } : {}),
    }));
  }

  async listNodes(spaceId: string, parentNodeToken = ''): Promise<WikiNode[]> {
    const nodes = await this.pages(
      `Feishu space ${spaceId}`,
      `/open-apis/wiki/v2/spaces/${spaceId}/nodes`,
      pageToken =>
        this.client.wiki.spaceNode.list({
          path: { space_id: spaceId },
          params: {
            page_size: 50,
            page_token: pageToken,
            ...(parentNodeToken ? { parent_node_token: parentNodeToken } : {}),
          },
        }),
    );
    return nodes.map(wikiNodeOf);
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
      folderToken ? `Feishu folder ${folderToken}` : 'The drive root',
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
    const what = `Wiki page ${nodeToken}`;
    const url = '/open-apis/wiki/v2/spaces/get_node';
    const { node } = this.dataOf(
      what,
      url,
      await this.attempt(what, url, () =>
        this.client.wiki.space.getNode({ params: { token: nodeToken } }),
      ),
    );
    return wikiNodeOf(node ?? {});
  }

  /**
   * Every block of a document. The typed `documentBlock.list` rather than `listWithIterator`: an iterator
   * cannot retry the one page that failed, so a long document would be read again from the start.
   */
  async listDocumentBlocks(documentId: string): Promise<FeishuBlock[]> {
    const blocks = await this.pages(
      `Document ${documentId}`,
      `/open-apis/docx/v1/documents/${documentId}/blocks`,
      pageToken =>
        this.client.docx.documentBlock.list({
          path: { document_id: documentId },
          params: {
            page_size: 500,
            page_token: pageToken,
            document_revision_id: -1,
          },
        }),
    );
    // The converter reads the fields it knows and ignores the rest of the SDK's block type.
    return blocks as unknown as FeishuBlock[];
  }

  async listComments(documentId: string): Promise<FeishuComment[]> {
    const comments = await this.all<any>(
      `The comments of document ${documentId}`,
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
    const what = `The permissions of document ${documentId}`;
    const url = `/open-apis/drive/v1/permissions/${documentId}/members`;
    const data = this.dataOf(
      what,
      url,
      await this.attempt(what, url, () =>
        this.client.drive.permissionMember.list({
          path: { token: documentId },
          params: { type: 'docx' },
        }),
      ),
    );
    return (data.items ?? []).map(({ member_type, member_id, perm }) => ({
      member_type,
      member_id,
      perm,
    }));
  }

  async downloadMedia(token: string): Promise<Buffer> {
    const data = await this.call<ArrayBuffer | Buffer>(
      `Image ${token}`,
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
    const what = `The Feishu user with e-mail ${email}`;
    const url = '/open-apis/contact/v3/users/batch_get_id';
    const data = this.dataOf(
      what,
      url,
      await this.attempt(what, url, () =>
        this.client.contact.user.batchGetId({
          params: { user_id_type: 'open_id' },
          data: { emails: [email] },
        }),
      ),
    );
    return data.user_list?.find(u => u.user_id)?.user_id;
  }

  /** The departments (open_department_id) a user is directly in. */
  async userDepartments(openId: string): Promise<string[]> {
    return (await this.user(openId)).department_ids ?? [];
  }

  /** The open_ids of a group chat's members. */
  async listChatMembers(chatId: string): Promise<string[]> {
    const members = await this.pages(
      `Feishu chat ${chatId}`,
      `/open-apis/im/v1/chats/${chatId}/members`,
      pageToken =>
        this.client.im.chatMembers.get({
          path: { chat_id: chatId },
          params: {
            member_id_type: 'open_id',
            page_size: 100,
            page_token: pageToken,
          },
        }),
    );
    return members.flatMap(member =>
      member.member_id ? [member.member_id] : [],
    );
  }

  async userName(openId: string): Promise<string> {
    return (await this.user(openId)).name ?? openId;
  }

  private async user(openId: string) {
    const what = `Feishu user ${openId}`;
    const url = `/open-apis/contact/v3/users/${openId}`;
    const data = this.dataOf(
      what,
      url,
      await this.attempt(what, url, () =>
        this.client.contact.user.get({
          path: { user_id: openId },
          params: {
            user_id_type: 'open_id',
            department_id_type: 'open_department_id',
          },
        }),
      ),
    );
    return data.user ?? {};
  }
}
