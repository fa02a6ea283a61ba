import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Content,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { MigrationJob } from '@internal/plugin-feishu-migration-common';
import Box from '@material-ui/core/Box';
import { feishuMigrationApiRef } from '../../api/FeishuMigrationClient';
import { MigrationDetails } from '../MigrationDetails';

const PAGE_SIZE = 20;

const columns: TableColumn<MigrationJob>[] = [
  { title: 'Started', render: j => new Date(j.createdAt).toLocaleString() },
  { title: 'Service', field: 'entityRef' },
  { title: 'Feishu space', field: 'spaceName' },
  {
    title: 'Pages',
    render: j => `${j.documentsConverted}/${j.documentsTotal}`,
  },
  { title: 'Status', render: j => j.status.replace('_', ' ') },
  { title: 'By', field: 'createdBy' },
];

export interface HistoryPageProps {
  /** Only this service's migrations (on a service's own page); every service the caller may see otherwise. */
  entityRef?: string;
}

/** Migrations, newest first; choosing one shows its report and rollback. */
export function HistoryPage(props: HistoryPageProps) {
  const api = useApi(feishuMigrationApiRef);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<string>();
  const { value, loading, error } = useAsyncRetry(
    () =>
      api.listMigrations({
        entityRef: props.entityRef,
        limit: PAGE_SIZE,
        offset: page * PAGE_SIZE,
      }),
    [api, page, props.entityRef],
  );
  return (
    <Content>
      {error && <ResponseErrorPanel error={error} />}
      <Table
        title="Feishu migrations"
        isLoading={loading}
        columns={columns}
        data={value?.items ?? []}
        page={page}
        totalCount={value?.totalItems ?? 0}
        onPageChange={setPage}
        options={{
          paging: true,
          pageSize: PAGE_SIZE,
          pageSizeOptions: [PAGE_SIZE],
          search: false,
        }}
        onRowClick={(_event, row) => setSelected(row?.id)}
      />
      {selected && (
        <Box mt={2}>
          <MigrationDetails id={selected} />
        </Box>
      )}
    </Content>
  );
}
