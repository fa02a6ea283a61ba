import { PermissionMember } from '../clients/FeishuClient';

/** Who a signed-in person is in Feishu, as far as document permissions go. */
export interface FeishuIdentity {
  openId: string;
  email: string;
  departmentIds: string[];
}

/**
 * Whether a document's permission members let this person read it: named directly (open_id or e-mail), or
 * through a department they are in, or a group chat they belong to. Every permission level (view, edit,
 * full_access) includes reading. Departments count only where the person is directly in them.
 */
export function membersGrantRead(
  members: PermissionMember[],
  identity: FeishuIdentity,
  chatMembers: (chatId: string) => boolean,
): boolean {
  return members.some(member => {
    switch (member.member_type) {
      case 'openid':
        return member.member_id === identity.openId;
      case 'email':
        return (
          member.member_id.toLocaleLowerCase('en-US') ===
          identity.email.toLocaleLowerCase('en-US')
        );
      case 'department':
      case 'opendepartmentid':
        return identity.departmentIds.includes(member.member_id);
      case 'openchat':
        return chatMembers(member.member_id);
      default:
        return false;
    }
  });
}
