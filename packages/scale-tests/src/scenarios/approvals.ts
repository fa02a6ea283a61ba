import { Cluster, CONTRACTOR, HARNESS_TOKEN } from '../cluster';
import { connect } from '../database';
import { Check } from '../report';

const ATTEMPTS = 50;

/**
 * One approved request, then 50 concurrent attempts to consume it through the balancer (so both replicas
 * take some): exactly one may succeed. The request is made by the signed-in contractor through the API; the
 * approval is written into the security plugin's database as an approver's decision leaves it (the harness
 * signs in as one person, and nobody may decide their own request).
 */
export async function approvalConsumedOnce(cluster: Cluster): Promise<Check[]> {
  const token = await cluster.guestToken(CONTRACTOR);
  const base = cluster.balancer.url;
  // A contractor needs an approval to run a workflow on a service of theirs
  // (security.contractorPolicy.accessBoundaries.requiresApproval).
  const grant = {
    action: 'n8n.run',
    entityRef: 'component:default/reporting-service',
  };
  const requested = await fetch(`${base}/api/security/approvals`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      ...grant,
      justification: 'Scale test: roll back the failed release',
    }),
  });
  if (requested.status !== 201) {
    throw new Error(
      `the approval request answered ${
        requested.status
      }: ${await requested.text()}`,
    );
  }
  const { id } = await requested.json();
  const security = connect(cluster.databaseOf('security'));
  try {
    await security('security_approvals').where({ id }).update({
      status: 'approved',
      decided_by: 'user:default/scale-approver',
      decision_reason: 'approved by the scale test',
      decided_at: security.fn.now(),
    });
  } finally {
    await security.destroy();
  }

  const attempts = await Promise.all(
    Array.from({ length: ATTEMPTS }, () =>
      fetch(`${base}/api/security/approvals/consume`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${HARNESS_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ ...grant, user: CONTRACTOR }),
      }).then(async res => ({ status: res.status, body: await res.text() })),
    ),
  );
  const succeeded = attempts.filter(a => a.status === 200).length;
  const refused = attempts.filter(a => a.status >= 400 && a.status < 500);
  const failed = attempts.filter(a => a.status >= 500).length;
  return [
    {
      scenario: 'approvals',
      what: `${ATTEMPTS} concurrent consumptions of one approval, both replicas`,
      figure: `${succeeded} succeeded, ${refused.length} refused (${[
        ...new Set(refused.map(a => a.status)),
      ].join('/')}), ${failed} errors`,
      ok: succeeded === 1 && failed === 0,
    },
  ];
}
