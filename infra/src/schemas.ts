/**
 * Kubernetes object schemas, offline: the OpenAPI definitions of Kubernetes 1.31 compiled into
 * validators by kubernetes-models. Catches what the TypeScript types cannot (a required field
 * built from data, an integer that came in as a string, an enum value).
 */
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';

type ModelClass = { apiVersion: string; kind: string; new (data: unknown): { validate(): void } };

const MODELS = new Map<string, ModelClass>(
  ([Namespace, ServiceAccount, Service, ConfigMap, Secret, PersistentVolumeClaim, Deployment, StatefulSet, DaemonSet, Job, CronJob, Ingress, NetworkPolicy, PodDisruptionBudget, HorizontalPodAutoscaler, Role, RoleBinding, ClusterRole, ClusterRoleBinding, StorageClass] as unknown as ModelClass[]).map((m) => [
    `${m.apiVersion}/${m.kind}`,
    m,
  ]),
);

/** The schema's complaints about an object (empty: valid); 'no-schema' for a kind it does not know (a custom resource). */
export function validateObject(o: { apiVersion: string; kind: string }): string[] | 'no-schema' {
  const Model = MODELS.get(`${o.apiVersion}/${o.kind}`);
  if (!Model) return 'no-schema';
  try {
    new Model(o).validate();
    return [];
  } catch (err) {
    // ajv's "data/spec/replicas must be integer" as "spec.replicas: must be integer".
    return String((err as Error).message)
      .split(/,\s*(?=data)/)
      .map((m) => m.trim().replace(/^data(\/\S*)?\s+/, (_, p: string | undefined) => `${p ? p.slice(1).replace(/\//g, '.') : '(object)'}: `))
      .filter(Boolean);
  }
}
