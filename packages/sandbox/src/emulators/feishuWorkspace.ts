import { DemoCatalog, DemoComponent } from '../demoCatalog';
import { seededHex, seededInt } from '../seeded';

/** A block as the docx/v1 blocks API returns it (loosely typed: the sandbox only serves them). */
export type WorkspaceBlock = Record<string, unknown> & {
  block_id: string;
  parent_id: string;
  block_type: number;
  children?: string[];
};

export interface WorkspaceDoc {
  documentId: string;
  nodeToken: string;
  parentNodeToken: string;
  spaceId: string;
  title: string;
  blocks: WorkspaceBlock[];
  comments: Array<{
    comment_id: string;
    block_id: string;
    quote: string;
    user_id: string;
    text: string;
  }>;
  members: Array<{ member_type: string; member_id: string; perm: string }>;
}

export interface WorkspaceSpace {
  spaceId: string;
  name: string;
  description: string;
}

export interface FeishuWorkspace {
  spaces: WorkspaceSpace[];
  docs: WorkspaceDoc[];
  /** Feishu open ids of the demo catalog's users. */
  users: Array<{
    openId: string;
    name: string;
    email: string;
    catalogName: string;
    /** Feishu departments (open_department_id) the user is in: engineering, or contractors. */
    departmentIds: string[];
    /** Group chats the user is in: their team's, and the engineering chat for employees. */
    chatIds: string[];
  }>;
  images: string[];
  /** A drive folder tree ("工程共享 Engineering shared") holding the handbook's documents as files. */
  folders: Array<{ token: string; name: string; parentToken: string }>;
  /** Which folder each document sits in, by document id. */
  folderOf: Record<string, string>;
}

const run = (content: string, style: Record<string, unknown> = {}) => ({
  text_run: { content, text_element_style: style },
});

function blockText(block: WorkspaceBlock): string {
  const body = (block.text ?? block.heading1) as
    | { elements?: Array<{ text_run?: { content: string } }> }
    | undefined;
  return (body?.elements ?? []).map(e => e.text_run?.content ?? '').join('');
}

/** Builds one document's block list; children are appended in reading order. */
class DocBuilder {
  readonly blocks: WorkspaceBlock[] = [];
  private counter = 0;
  readonly pageId: string;

  constructor(private readonly documentId: string, title: string) {
    this.pageId = documentId;
    this.blocks.push({
      block_id: documentId,
      parent_id: '',
      block_type: 1,
      page: { elements: [run(title)], style: { align: 1 } },
      children: [],
    });
  }

  add(
    parentId: string,
    blockType: number,
    body: Record<string, unknown>,
  ): string {
    const id = `doxcn${seededHex(22, this.documentId, this.counter++)}`;
    this.blocks.push({
      block_id: id,
      parent_id: parentId,
      block_type: blockType,
      ...body,
    });
    const parent = this.blocks.find(b => b.block_id === parentId)!;
    parent.children = [...(parent.children ?? []), id];
    return id;
  }

  text(parentId: string, elements: unknown[]) {
    return this.add(parentId, 2, { text: { elements, style: {} } });
  }

  heading(parentId: string, level: number, title: string) {
    return this.add(parentId, 2 + level, {
      [`heading${level}`]: { elements: [run(title)], style: {} },
    });
  }

  table(
    parentId: string,
    rows: string[][],
    mergeInfo?: Array<{ row_span: number; col_span: number }>,
  ) {
    const columns = rows[0].length;
    const tableId = this.add(parentId, 31, {});
    const cells = rows.flat().map(content => {
      const cellId = this.add(tableId, 32, { table_cell: {} });
      this.text(cellId, [run(content)]);
      return cellId;
    });
    const table = this.blocks.find(b => b.block_id === tableId)!;
    table.table = {
      cells,
      property: {
        row_size: rows.length,
        column_size: columns,
        header_row: true,
        merge_info:
          mergeInfo ?? cells.map(() => ({ row_span: 1, col_span: 1 })),
      },
    };
    return tableId;
  }
}

function runbookBlocks(
  doc: DocBuilder,
  component: DemoComponent,
  lead: { openId: string; name: string } | undefined,
  dependencyDocs: Array<{ token: string; title: string }>,
  imageToken: string,
) {
  const page = doc.pageId;
  doc.heading(page, 1, '概述 Overview');
  doc.text(page, [
    run(`${component.name} `, { bold: true }),
    run(`${component.description} 负责人 owner: `),
    lead
      ? { mention_user: { user_id: lead.openId, text_element_style: {} } }
      : run(component.owner),
    run('. '),
    run('Dashboards', {
      link: {
        url: encodeURIComponent(
          component.annotations['datadog/dashboard-url'] ??
            'https://app.datadoghq.com',
        ),
      },
    }),
    run(' · '),
    run('deprecated runbook v1', { strikethrough: true }),
  ]);
  if (dependencyDocs.length > 0) {
    doc.text(page, [
      run('依赖 Depends on: '),
      ...dependencyDocs.flatMap((d, i) => [
        ...(i > 0 ? [run(', ')] : []),
        {
          mention_doc: {
            token: d.token,
            obj_type: 22,
            title: d.title,
            url: encodeURIComponent(
              `https://quillstack.feishu.cn/wiki/${d.token}`,
            ),
            text_element_style: {},
          },
        },
      ]),
    ]);
  }
  doc.heading(page, 2, '告警处理 Handling alerts');
  const callout = doc.add(page, 19, {
    callout: { emoji_id: 'warning', background_color: 2 },
  });
  doc.text(callout, [
    run(
      '先确认影响范围，再重启服务。 Check the blast radius before restarting anything.',
      { italic: true },
    ),
  ]);
  const steps = [
    'Open the Datadog dashboard 打开监控面板',
    'Check the Argo CD application 检查 Argo CD',
    'Roll back if the last deploy is to blame 必要时回滚',
  ];
  steps.forEach((step, i) =>
    doc.add(page, 13, {
      ordered: {
        elements: [run(step)],
        style: { sequence: i === 0 ? '1' : 'auto' },
      },
    }),
  );
  doc.add(page, 14, {
    code: {
      elements: [
        run(
          `kubectl -n ${component.system} rollout restart deployment/${component.name}\nkubectl -n ${component.system} rollout status deployment/${component.name}\n`,
        ),
      ],
      style: { language: 7, wrap: false },
    },
  });
  const bullet = doc.add(page, 12, {
    bullet: { elements: [run('常见原因 Common causes')] },
  });
  doc.add(bullet, 12, {
    bullet: { elements: [run('数据库连接池耗尽 connection pool exhausted')] },
  });
  doc.add(bullet, 12, {
    bullet: {
      elements: [
        run('upstream timeouts (p95 > 500 ms)', { inline_code: false }),
      ],
    },
  });
  doc.add(page, 17, {
    todo: {
      elements: [run('更新值班表 Update the on-call rota')],
      style: { done: false },
    },
  });
  doc.add(page, 17, {
    todo: {
      elements: [run('Link this page from the service catalog')],
      style: { done: true },
    },
  });
  doc.heading(page, 2, '值班 On-call');
  doc.table(
    page,
    [
      ['Week 周', 'Primary 主', 'Secondary 副'],
      ['W47', 'Erik', 'Fatima'],
      ['W48', 'Gabriel', 'Fatima'],
    ],
    [
      { row_span: 1, col_span: 1 },
      { row_span: 1, col_span: 1 },
      { row_span: 1, col_span: 1 },
      { row_span: 1, col_span: 1 },
      { row_span: 1, col_span: 1 },
      { row_span: 2, col_span: 1 },
      { row_span: 1, col_span: 1 },
      { row_span: 1, col_span: 1 },
      { row_span: 1, col_span: 1 },
    ],
  );
  doc.heading(page, 2, '架构 Architecture');
  doc.add(page, 27, { image: { token: imageToken, width: 1280, height: 720 } });
  const grid = doc.add(page, 24, { grid: { column_size: 2 } });
  const left = doc.add(grid, 25, { grid_column: { width_ratio: 50 } });
  const right = doc.add(grid, 25, { grid_column: { width_ratio: 50 } });
  doc.text(left, [
    run('Inputs 输入: '),
    run(component.consumesApis.join(', ') || 'none', { inline_code: true }),
  ]);
  doc.text(right, [
    run('Outputs 输出: '),
    run(component.providesApis.join(', ') || 'none', { inline_code: true }),
  ]);
  doc.table(page, [
    ['Metric 指标', 'SLO', 'Current 当前'],
    [
      'Availability 可用性',
      '99.9%',
      `${(99.9 + seededInt(0, 9, component.name) / 100).toFixed(2)}%`,
    ],
    [
      'p95 latency',
      '300 ms',
      `${seededInt(120, 280, component.name, 'p95')} ms`,
    ],
  ]);
  doc.add(page, 22, { divider: {} });
  doc.add(page, 15, {
    quote: { elements: [run('“You build it, you run it.” 谁开发，谁运维。')] },
  });
  if (component.name === 'tax-calculator') {
    doc.text(page, [
      { equation: { content: 'VAT = net \\times rate_{country}\n' } },
    ]);
  }
  if (component.name === 'reporting-service') {
    doc.add(page, 30, {
      sheet: { token: `shtcn${seededHex(14, component.name, 'sheet')}` },
    });
  }
  doc.add(page, 23, {
    file: {
      token: `boxcn${seededHex(18, component.name, 'file')}`,
      name: `${component.name}-postmortem-2026-10.pdf`,
    },
  });
}

/**
 * The sandbox's Feishu tenant: an engineering handbook and one wiki space per team, with a runbook per
 * service the team owns and architecture decision records, all derived from the demo catalog.
 */
export function buildFeishuWorkspace(
  catalog: DemoCatalog,
  options: {
    /** Adds an archive space with this many older runbook copies (for the 500-document benchmark). */
    archiveDocuments?: number;
  } = {},
): FeishuWorkspace {
  const teams = catalog.entities.filter(
    e => e.kind === 'Group' && e.spec.type === 'team',
  );
  const users = catalog.entities
    .filter(e => e.kind === 'User')
    .map(u => ({
      openId: `ou_${seededHex(32, 'user', u.metadata.name)}`,
      name: String((u.spec.profile as any)?.displayName ?? u.metadata.name),
      email: String((u.spec.profile as any)?.email ?? ''),
      catalogName: u.metadata.name,
      team: ((u.spec.memberOf as string[]) ?? [])[0],
    }))
    .map(u => {
      const contractor = u.team?.startsWith('contractors') ?? false;
      return {
        ...u,
        departmentIds: [
          `od-${seededHex(
            32,
            'dept',
            contractor ? 'contractors' : 'engineering',
          )}`,
        ],
        chatIds: [
          ...(u.team ? [`oc_${seededHex(32, 'chat', u.team)}`] : []),
          ...(contractor ? [] : [`oc_${seededHex(32, 'chat', 'engineering')}`]),
        ],
      };
    });
  const spaceId = (name: string) =>
    `7${seededInt(1e8, 1e9 - 1, name, 'high')}${seededInt(
      1e8,
      1e9 - 1,
      name,
      'low',
    )}`;
  const spaces: WorkspaceSpace[] = [
    {
      spaceId: spaceId('handbook'),
      name: '工程手册 Engineering Handbook',
      description:
        'How we build, review, deploy and operate software at Quillstack.',
    },
    ...teams.map(t => ({
      spaceId: spaceId(t.metadata.name),
      name: `${t.metadata.title} 团队空间`,
      description: t.metadata.description ?? '',
    })),
  ];
  const docs: WorkspaceDoc[] = [];
  const images: string[] = [];
  const nodeToken = (key: string) => `wikcn${seededHex(22, 'node', key)}`;
  const documentId = (key: string) => `doxcn${seededHex(22, 'doc', key)}`;

  const addDoc = (
    key: string,
    space: WorkspaceSpace,
    parentKey: string | undefined,
    title: string,
    fill: (doc: DocBuilder) => void,
    team?: string,
  ) => {
    const doc = new DocBuilder(documentId(key), title);
    fill(doc);
    const textBlocks = doc.blocks.filter(
      b => b.block_type === 2 || b.block_type === 3,
    );
    const commenter = users[seededInt(0, users.length - 1, key, 'commenter')];
    docs.push({
      documentId: documentId(key),
      nodeToken: nodeToken(key),
      parentNodeToken: parentKey ? nodeToken(parentKey) : '',
      spaceId: space.spaceId,
      title,
      blocks: doc.blocks,
      comments: textBlocks.slice(0, 2).map((block, i) => ({
        comment_id: `${seededInt(7_000_000, 7_999_999, key, i)}`,
        block_id: block.block_id,
        quote: blockText(block),
        user_id: commenter.openId,
        text:
          i === 0
            ? '这段需要更新吗？ Is this still accurate?'
            : 'Linked from the incident review.',
      })),
      members: [
        {
          member_type: 'openchat',
          member_id: `oc_${seededHex(32, 'chat', team ?? 'engineering')}`,
          perm: 'edit',
        },
        {
          member_type: 'department',
          member_id: `od-${seededHex(32, 'dept', 'engineering')}`,
          perm: 'view',
        },
        ...(team === 'contractors-northwind'
          ? [
              {
                member_type: 'department',
                member_id: `od-${seededHex(32, 'dept', 'contractors')}`,
                perm: 'edit',
              },
            ]
          : []),
      ],
    });
  };

  const handbook = spaces[0];
  const handbookPages: Array<[string, string | undefined, string]> = [
    ['handbook', undefined, '工程手册 Engineering Handbook'],
    ['code-review', 'handbook', '代码评审 Code review'],
    ['deploying', 'handbook', '部署流程 Deploying'],
    ['rollback', 'deploying', '回滚 Rolling back'],
    ['on-call', 'handbook', '值班 On-call'],
    ['incidents', 'handbook', '事故复盘 Incident reviews'],
    [
      'incident-2026-10-invoices',
      'incidents',
      '2026-10 发票延迟 Invoice delays',
    ],
    [
      'incident-2026-11-webhooks',
      'incidents',
      '2026-11 Webhook 重试风暴 Retry storm',
    ],
  ];
  for (const [key, parent, title] of handbookPages) {
    addDoc(key, handbook, parent, title, doc => {
      doc.heading(doc.pageId, 1, title);
      doc.text(doc.pageId, [
        run('本页适用于所有工程师。 ', { bold: true }),
        run('This page applies to every engineer at Quillstack.'),
      ]);
      doc.add(doc.pageId, 13, {
        ordered: {
          elements: [run('Open a pull request 提交 PR')],
          style: { sequence: '1' },
        },
      });
      doc.add(doc.pageId, 13, {
        ordered: {
          elements: [run('Get one approval 至少一人批准')],
          style: { sequence: 'auto' },
        },
      });
      const callout = doc.add(doc.pageId, 19, {
        callout: { emoji_id: 'bulb' },
      });
      doc.text(callout, [run('Small PRs merge faster. 小 PR 合并更快。')]);
    });
  }

  teams.forEach((team, t) => {
    const space = spaces[t + 1];
    const teamName = team.metadata.name;
    const teamUsers = users.filter(u => u.team === teamName);
    addDoc(
      `${teamName}-home`,
      space,
      undefined,
      `${team.metadata.title} 首页 Home`,
      doc => {
        doc.heading(doc.pageId, 1, `${team.metadata.title}`);
        doc.text(doc.pageId, [run(team.metadata.description ?? '')]);
        const list = doc.add(doc.pageId, 12, {
          bullet: { elements: [run('成员 Members')] },
        });
        for (const member of teamUsers) {
          doc.add(list, 12, {
            bullet: {
              elements: [
                {
                  mention_user: {
                    user_id: member.openId,
                    text_element_style: {},
                  },
                },
              ],
            },
          });
        }
      },
      teamName,
    );
    const owned = catalog.components.filter(c => c.owner === teamName);
    for (const component of owned) {
      const imageToken = `boxcn${seededHex(22, 'image', component.name)}`;
      images.push(imageToken);
      const dependencies = component.dependsOn
        .filter(ref => ref.startsWith('component:'))
        .map(ref => ref.slice('component:'.length))
        .map(name => ({
          token: nodeToken(`${name}-runbook`),
          title: `${name} 运维手册 Runbook`,
        }));
      addDoc(
        `${component.name}-runbook`,
        space,
        `${teamName}-home`,
        `${component.name} 运维手册 Runbook`,
        doc =>
          runbookBlocks(doc, component, teamUsers[0], dependencies, imageToken),
        teamName,
      );
    }
    addDoc(
      `${teamName}-adr`,
      space,
      `${teamName}-home`,
      '架构决策 Architecture decisions',
      doc => {
        doc.text(doc.pageId, [
          run(
            'Each decision record explains one choice and its trade-offs. 每条记录说明一个决策及其取舍。',
          ),
        ]);
      },
      teamName,
    );
    for (const n of [1, 2]) {
      addDoc(
        `${teamName}-adr-${n}`,
        space,
        `${teamName}-adr`,
        `ADR-00${n} ${
          n === 1
            ? '使用 PostgreSQL Use PostgreSQL'
            : '事件驱动 Event-driven integration'
        }`,
        doc => {
          doc.heading(doc.pageId, 2, '背景 Context');
          doc.text(doc.pageId, [
            run(
              n === 1
                ? 'We need transactions across invoices and ledger postings.'
                : 'Services must not call each other synchronously for side effects.',
            ),
          ]);
          doc.heading(doc.pageId, 2, '决定 Decision');
          doc.add(doc.pageId, 15, {
            quote: {
              elements: [
                run(
                  n === 1
                    ? 'PostgreSQL 15 on RDS for every service.'
                    : 'Publish domain events to SNS; consume from SQS.',
                ),
              ],
            },
          });
          doc.heading(doc.pageId, 2, '后果 Consequences');
          doc.add(doc.pageId, 12, {
            bullet: {
              elements: [
                run('Pros 优点: '),
                run('well understood', { bold: true }),
              ],
            },
          });
          doc.add(doc.pageId, 12, {
            bullet: {
              elements: [
                run('Cons 缺点: '),
                run('one more thing to operate', { italic: true }),
              ],
            },
          });
        },
        teamName,
      );
    }
  });

  const archiveDocuments = options.archiveDocuments ?? 0;
  if (archiveDocuments > 0) {
    const archive: WorkspaceSpace = {
      spaceId: spaceId('archive'),
      name: '归档 Archive',
      description: 'Runbooks of earlier quarters, kept for reference.',
    };
    spaces.push(archive);
    const perQuarter = 50;
    for (let i = 0; i < archiveDocuments; i++) {
      const quarter = Math.floor(i / perQuarter);
      const component = catalog.components[i % catalog.components.length];
      const key = `archive-${i}`;
      const quarterKey = `archive-q${quarter}`;
      const isQuarterPage = i % perQuarter === 0;
      if (isQuarterPage) {
        addDoc(quarterKey, archive, undefined, `归档 Q${quarter + 1}`, doc => {
          doc.text(doc.pageId, [
            run(`Runbooks archived in quarter ${quarter + 1}.`),
          ]);
        });
        continue;
      }
      const imageToken = `boxcn${seededHex(22, 'image', key)}`;
      images.push(imageToken);
      addDoc(
        key,
        archive,
        quarterKey,
        `${component.name} 运维手册 v${i} Runbook`,
        doc =>
          runbookBlocks(
            doc,
            component,
            users[i % users.length],
            [],
            imageToken,
          ),
      );
    }
  }
  const folderToken = (key: string) => `fldcn${seededHex(22, 'folder', key)}`;
  const folders = [
    {
      token: folderToken('shared'),
      name: '工程共享 Engineering shared',
      parentToken: '',
    },
    {
      token: folderToken('incidents'),
      name: '事故复盘 Incidents',
      parentToken: folderToken('shared'),
    },
  ];
  const folderOf: Record<string, string> = {};
  for (const [key] of handbookPages) {
    folderOf[documentId(key)] = folderToken(
      key.startsWith('incident') ? 'incidents' : 'shared',
    );
  }
  return {
    spaces,
    docs,
    users: users.map(({ team: _team, ...u }) => u),
    images,
    folders,
    folderOf,
  };
}
