import { useState } from 'react';
import {
  Content,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button, Grid, TextField } from '@material-ui/core';
import {
  AuditRecord,
  auditReadPermission,
} from '@internal/plugin-security-common';
import { AuditFilters, securityApiRef } from '../../api/SecurityClient';

const columns: TableColumn<AuditRecord>[] = [
  { title: 'When', render: row => new Date(row.occurredAt).toLocaleString() },
  { title: 'Actor', field: 'actorRef' },
  { title: 'Action', field: 'action' },
  { title: 'Entity', field: 'entityRef' },
  { title: 'Outcome', field: 'outcome' },
  { title: 'Plugin', field: 'plugin' },
  {
    title: 'Details (redacted)',
    render: row => (
      <code style={{ whiteSpace: 'pre-wrap' }}>
        {JSON.stringify(row.details)}
      </code>
    ),
  },
];

const FILTER_FIELDS: Array<[keyof AuditFilters, string, string]> = [
  ['actor', 'Actor', 'user:default/jane-doe'],
  ['action', 'Action', 'ai.use'],
  ['entity', 'Entity', 'component:default/invoice-service'],
  ['from', 'From', '2026-11-01T00:00:00Z'],
  ['to', 'To', '2026-12-01T00:00:00Z'],
];

export const AuditLogPage = () => {
  const securityApi = useApi(securityApiRef);
  const { allowed, loading: checking } = usePermission({
    permission: auditReadPermission,
  });
  const [filters, setFilters] = useState<AuditFilters>({});
  const [records, setRecords] = useState<AuditRecord[]>();
  const [nextCursor, setNextCursor] = useState<string>();
  const [error, setError] = useState<Error>();

  const load = async (cursor?: string) => {
    setError(undefined);
    try {
      const page = await securityApi.queryAudit({
        ...filters,
        limit: 50,
        cursor,
      });
      setRecords(previous =>
        cursor ? [...(previous ?? []), ...page.items] : page.items,
      );
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(e as Error);
    }
  };

  if (checking) {
    return null;
  }
  if (!allowed) {
    return (
      <Content>
        <WarningPanel
          title="Admins only"
          message="Only admins may read the audit trail."
        />
      </Content>
    );
  }
  return (
    <Content>
      <Grid container spacing={2} alignItems="center">
        {FILTER_FIELDS.map(([key, label, placeholder]) => (
          <Grid item key={key}>
            <TextField
              id={`audit-filter-${key}`}
              label={label}
              placeholder={placeholder}
              value={filters[key] ?? ''}
              onChange={e => setFilters({ ...filters, [key]: e.target.value })}
            />
          </Grid>
        ))}
        <Grid item>
          <Button variant="contained" color="primary" onClick={() => load()}>
            Search
          </Button>
        </Grid>
      </Grid>
      {error && <ResponseErrorPanel error={error} />}
      {records && (
        <Table<AuditRecord>
          title="Audit trail"
          options={{ paging: false, search: false }}
          columns={columns}
          data={records}
          emptyContent={<div style={{ padding: 16 }}>No records match.</div>}
        />
      )}
      {nextCursor && (
        <Button onClick={() => load(nextCursor)}>Load more</Button>
      )}
    </Content>
  );
};
