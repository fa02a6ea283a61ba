import { parseEntityRef } from '@backstage/catalog-model';
import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CustomResourcesByEntity,
  KubernetesObjectsByEntity,
  KubernetesObjectsProvider,
} from '@backstage/plugin-kubernetes-node';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import { isContractorRole } from '@internal/plugin-security-common';
import { SecurityConfig } from '../config/readSecurityConfig';
import {
  contractorMayQuery,
  ContractorKubernetesBoundary,
  filterObjectsForContractor,
  kubernetesIdOf,
} from '../policy/kubernetesBoundary';
import { RoleResolver } from '../service/RoleResolver';

/**
 * Wraps the Kubernetes plugin's objects provider (the entity page's Kubernetes tab, its workloads and
 * custom-resource routes and its MCP action all go through it). For contractors, only workloads in the
 * contractor policy's allowedNamespaces that no restricted service owns come back.
 */
export class ContractorBoundedObjectsProvider
  implements KubernetesObjectsProvider
{
  constructor(
    private readonly inner: KubernetesObjectsProvider,
    private readonly roles: RoleResolver,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly config: SecurityConfig,
  ) {}

  async getKubernetesObjectsByEntity(
    request: KubernetesObjectsByEntity,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const boundary = await this.boundaryFor(request, options.credentials);
    const response = await this.inner.getKubernetesObjectsByEntity(
      request,
      options,
    );
    return boundary ? filterObjectsForContractor(response, boundary) : response;
  }

  async getCustomResourcesByEntity(
    request: CustomResourcesByEntity,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const boundary = await this.boundaryFor(request, options.credentials);
    const response = await this.inner.getCustomResourcesByEntity(
      request,
      options,
    );
    return boundary ? filterObjectsForContractor(response, boundary) : response;
  }

  /** The boundary to apply, undefined for employees and service callers; throws when a contractor may not ask. */
  private async boundaryFor(
    request: KubernetesObjectsByEntity,
    credentials: BackstageCredentials,
  ): Promise<ContractorKubernetesBoundary | undefined> {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user' || !principal.userEntityRef) {
      return undefined;
    }
    const subject = await this.roles.subjectOf(principal.userEntityRef);
    if (!isContractorRole(subject.role)) {
      return undefined;
    }
    const boundary: ContractorKubernetesBoundary = {
      allowedNamespaces:
        this.config.contractorPolicy.permissions.allowedNamespaces,
      restrictedIds: await this.restrictedKubernetesIds(),
    };
    const verdict = contractorMayQuery(request.entity, boundary);
    if (!verdict.allowed) {
      throw new NotAllowedError(
        `You may not see the Kubernetes workloads of ${request.entity.metadata.name}: ${verdict.reason}`,
      );
    }
    return boundary;
  }

  private async restrictedKubernetesIds(): Promise<string[]> {
    const refs =
      this.config.contractorPolicy.accessBoundaries.restrictedServices;
    if (refs.length === 0) {
      return [];
    }
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.name', 'metadata.annotations'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    // A restricted service not (yet) in the catalog is still matched by its name, the plugin's default id.
    return refs.map((ref, i) => {
      const entity = items[i];
      return entity ? kubernetesIdOf(entity) : parseEntityRef(ref).name;
    });
  }
}
