import { PermissionReportRow } from '@internal/plugin-feishu-migration-common';

/** FeishuMigrationConfig.permissionMapping. */
export interface PermissionMappingRule {
  /** "openchat:oc_…" / "department:od-…" / "user:ou_…", a bare member id, or a permission: view | edit | full_access. */
  feishuRole: string;
  /** What it becomes in Backstage: a group ref such as group:default/team-payments, or a security role. */
  backstageRole: string;
}

export interface DocumentPermissions {
  members: Array<{ member_type: string; member_id: string; perm: string }>;
}

/**
 * Who could open the migrated pages in Feishu and what each becomes in Backstage. TechDocs pages are as
 * visible as their service, so rows without a mapping are people who may lose or gain access: the report
 * lists them for the owners to check. Most specific rule first: type:id, then id, then permission.
 */
export function mapPermissions(
  documents: DocumentPermissions[],
  rules: PermissionMappingRule[],
): PermissionReportRow[] {
  const rows = new Map<string, PermissionReportRow>();
  for (const doc of documents) {
    for (const member of doc.members) {
      const key = `${member.member_type}:${member.member_id}:${member.perm}`;
      const existing = rows.get(key);
      if (existing) {
        existing.documents++;
        continue;
      }
      const rule =
        rules.find(
          r => r.feishuRole === `${member.member_type}:${member.member_id}`,
        ) ??
        rules.find(r => r.feishuRole === member.member_id) ??
        rules.find(r => r.feishuRole === member.perm);
      rows.set(key, {
        memberType: member.member_type,
        memberId: member.member_id,
        perm: member.perm,
        documents: 1,
        backstageRole: rule?.backstageRole ?? null,
      });
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      b.documents - a.documents ||
      `${a.memberType}:${a.memberId}:${a.perm}`.localeCompare(
        `${b.memberType}:${b.memberId}:${b.perm}`,
      ),
  );
}
