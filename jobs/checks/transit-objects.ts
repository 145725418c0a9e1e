/**
 * What the transit-encryption check reads, as the collector keeps it: only the fields the check needs
 * (a Pod is summarised, a ConfigMap keeps only its encryption keys), so a fleet scan does not hold
 * whole Pod specs. Shapes follow Kubernetes core/networking v1, Istio `security.istio.io/v1`
 * PeerAuthentication and Calico `crd.projectcalico.org/v1` FelixConfiguration (test/fixtures/crds-extra).
 */
import type { Fetched, KubeObject, Listed } from './snapshot.js';

/** A running Pod, reduced to what says whether its traffic is encrypted. */
export interface PodSummary {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  /** Names of its containers and init containers (native sidecars are init containers). */
  containers: string[];
  /** Annotations that name a mesh: `linkerd.io/inject`, `ambient.istio.io/redirection`. */
  meshAnnotations?: Record<string, string>;
}

/** `mtls.mode` of Istio: UNSET inherits from the namespace, then the mesh. */
export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export interface PeerAuthentication
  extends KubeObject<{
    selector?: { matchLabels?: Record<string, string> };
    mtls?: { mode?: MtlsMode | string };
    portLevelMtls?: Record<string, { mode?: MtlsMode | string }>;
  }> {}

export interface FelixConfiguration
  extends KubeObject<{ wireguardEnabled?: boolean; wireguardEnabledV6?: boolean }> {}

/** The ConfigMap `kube-system/cilium-config`, `data` reduced to the encryption keys. */
export interface CiliumConfig extends KubeObject {
  data?: Record<string, string>;
}

export interface IngressTls {
  hosts?: string[];
  secretName?: string;
}
export interface Ingress
  extends KubeObject<{
    ingressClassName?: string;
    tls?: IngressTls[];
    rules?: { host?: string }[];
    defaultBackend?: unknown;
  }> {}

export interface TransitSnapshot {
  /** `null`: not found (Cilium not installed, or configured elsewhere). */
  ciliumConfig: Fetched<CiliumConfig | null>;
  /** `null`: not found (Calico not installed, or its CRD API not served). */
  felixConfiguration: Fetched<FelixConfiguration | null>;
  /** Error reason `NotFound`: Istio not installed. */
  peerAuthentications: Listed<PeerAuthentication>;
  ingresses: Listed<Ingress>;
  /** Pods in phase Running, every namespace. */
  pods: Listed<PodSummary>;
}

export const CILIUM_CONFIG = { namespace: 'kube-system', name: 'cilium-config' } as const;
export const CILIUM_ENCRYPTION_KEYS = ['enable-wireguard', 'enable-ipsec'] as const;
export const FELIX_CONFIGURATION_NAME = 'default';
export const MESH_ANNOTATIONS = ['linkerd.io/inject', 'ambient.istio.io/redirection'] as const;
