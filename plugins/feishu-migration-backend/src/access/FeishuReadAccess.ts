import pLimit from 'p-limit';
import { AuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SecurityAccessService } from '@internal/plugin-security-node';
import { FeishuClient, isFeishuOutage } from '../clients/FeishuClient';
import { FeishuIdentity, membersGrantRead } from './membersGrantRead';

/**
 * A chat or document Feishu refuses to show the app (not found, the app's bot not in the chat) lets nobody
 * in; Feishu not answering is not a "no": the person is told to try again, and nothing starts meanwhile.
 */
const refusalAs =
  <T>(value: T, checking: string) =>
  (error: unknown): T => {
    if (!isFeishuOutage(error)) return value;
    throw new ServiceUnavailableError(
      `Feishu did not answer when the portal checked ${checking}; try again in a minute`,
      error,
    );
  };

export interface ReadableDocument {
  documentId: string;
  title: string;
}

/**
 * The portal reads Feishu with the app's token, which sees more than most people may. Before it shows or
 * copies a document for someone, it checks that Feishu lets that person read it: their Feishu account is
 * found by the e-mail of their catalog User, and matched against the document's permission members.
 * Admins are not limited; a person whose Feishu account cannot be found reads nothing.
 */
export class FeishuReadAccess {
  constructor(
    private readonly feishu: FeishuClient,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly access: SecurityAccessService,
  ) {}

  /** Throws NotAllowedError naming the documents (at most five) Feishu does not let the user read. */
  async requireReadable(
    userRef: string,
    documents: ReadableDocument[],
  ): Promise<void> {
    if ((await this.access.subjectOf(userRef)).role === 'admin') {
      return;
    }
    const identity = await this.identityOf(userRef);
    if (!identity.found) {
      throw new NotAllowedError(
        `Feishu does not know you by ${identity.reason}, so the portal cannot tell which documents you may read; only admins can preview or migrate until your catalog profile e-mail matches your Feishu account`,
      );
    }
    const chats = new Map<string, Promise<Set<string>>>();
    const inChat = (chatId: string) => {
      if (!chats.has(chatId)) {
        chats.set(
          chatId,
          this.feishu
            .listChatMembers(chatId)
            .then(ids => new Set(ids))
            .catch(
              refusalAs(
                new Set<string>(),
                'the members of a group chat the documents are shared with',
              ),
            ),
        );
      }
      return chats.get(chatId)!;
    };
    const limit = pLimit(8);
    const denied = (
      await Promise.all(
        documents.map(doc =>
          limit(async () => {
            const members = await this.feishu
              .listPermissionMembers(doc.documentId)
              .catch(refusalAs([], `who may read "${doc.title}"`));
            // Named, or in a department: no group chat needs asking about.
            if (membersGrantRead(members, identity.identity, () => false)) {
              return [];
            }
            const chatIds = members
              .filter(m => m.member_type === 'openchat')
              .map(m => m.member_id);
            const memberships = new Map(
              await Promise.all(
                chatIds.map(
                  async id =>
                    [
                      id,
                      (await inChat(id)).has(identity.identity.openId),
                    ] as const,
                ),
              ),
            );
            return membersGrantRead(
              members,
              identity.identity,
              id => memberships.get(id) ?? false,
            )
              ? []
              : [doc.title];
          }),
        ),
      ).catch(error => {
        // One check Feishu did not answer decides it: the others need not wait their turn.
        limit.clearQueue();
        throw error;
      })
    ).flat();
    if (denied.length > 0) {
      throw new NotAllowedError(
        `Feishu does not let you read ${
          denied.length
        } of the selected documents (${denied.slice(0, 5).join(', ')}${
          denied.length > 5 ? ', …' : ''
        }); ask their owners in Feishu for access, or leave them out`,
      );
    }
  }

  private async identityOf(
    userRef: string,
  ): Promise<
    { found: true; identity: FeishuIdentity } | { found: false; reason: string }
  > {
    const user = await this.catalog.getEntityByRef(userRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    const email = (user?.spec?.profile as { email?: unknown } | undefined)
      ?.email;
    if (typeof email !== 'string' || email === '') {
      return {
        found: false,
        reason: 'e-mail (your catalog profile has none)',
      };
    }
    const openId = await this.feishu.findUserIdByEmail(email);
    if (!openId) {
      return { found: false, reason: `the e-mail ${email}` };
    }
    return {
      found: true,
      identity: {
        openId,
        email,
        departmentIds: await this.feishu.userDepartments(openId),
      },
    };
  }
}
