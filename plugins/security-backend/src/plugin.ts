import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { securityPermissions } from '@internal/plugin-security-common';
import { readSecurityConfig } from './config/readSecurityConfig';
import { connectSecurityDatabase } from './database/migrations';
import { DatabaseApprovalStore } from './database/DatabaseApprovalStore';
import { DatabaseAuditStore } from './database/DatabaseAuditStore';
import { DatabaseGrantStore } from './database/DatabaseGrantStore';
import { activeGrantsOf, GrantService } from './service/GrantService';
import { filterSensitiveContent } from '@internal/plugin-security-node';
import { AccessService } from './service/AccessService';
import { ApprovalService } from './service/ApprovalService';
import { AuditTrail } from './service/AuditTrail';
import { RoleResolver } from './service/RoleResolver';
import { createRouter } from './service/router';
import { SecurityService } from './service/SecurityService';
import { registerSecurityActions } from './actions/registerSecurityActions';
import { scheduleRetention } from './service/retention';
import { scheduleMappedGroupsCheck } from './service/mappedGroupsCheck';

/** Security: contractor-aware access decisions, approvals, redaction and the audit trail. */
export const securityPlugin = createBackendPlugin({
  pluginId: 'security',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        cache: coreServices.cache,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const securityConfig = readSecurityConfig(deps.config);
        deps.permissionsRegistry.addPermissions(securityPermissions);
        const knex = await connectSecurityDatabase(deps.database);
        const auditStore = new DatabaseAuditStore(knex);
        const approvalStore = new DatabaseApprovalStore(knex);
        const grantStore = new DatabaseGrantStore(knex);

        const roles = new RoleResolver(
          deps.catalog,
          deps.cache,
          deps.auth,
          securityConfig,
          userRef => activeGrantsOf(grantStore, userRef),
          deps.logger,
          false,
        );
        const access = new AccessService(
          roles,
          deps.catalog,
          deps.auth,
          securityConfig,
        );
        const audit = new AuditTrail(auditStore, deps.auditor, roles, text =>
          filterSensitiveContent(text, {
            internalDomains: securityConfig.internalDomains,
          }),
        );
        const approvals = new ApprovalService(
          approvalStore,
          access,
          audit,
          deps.notifications,
          securityConfig,
        );

        await scheduleRetention({
          scheduler: deps.scheduler,
          logger: deps.logger,
          auditStore,
          approvalStore,
          config: securityConfig,
        });
        await scheduleMappedGroupsCheck({
          scheduler: deps.scheduler,
          logger: deps.logger,
          catalog: deps.catalog,
          auth: deps.auth,
          config: securityConfig,
        });
        const security = new SecurityService(
          deps.permissions,
          access,
          approvals,
          audit,
          new GrantService(grantStore, access, audit, securityConfig),
        );
        registerSecurityActions(deps.actionsRegistry, deps.auth, security);
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, security }),
        );
      },
    });
  },
});
