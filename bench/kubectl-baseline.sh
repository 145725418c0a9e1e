#!/usr/bin/env bash
# The baseline a team would otherwise write: loop over the clusters one after another and dump the same
# objects dpbot reads with `kubectl get … -o json`. Usage: kubectl-baseline.sh KUBECONFIG OUTDIR CONTEXT...
set -euo pipefail
export KUBECONFIG="$1"
out="$2"
shift 2
kubectl="${KUBECTL:-kubectl}"
# kubectl 1.20 drops the server URL's path (/clusters/<ctx>, as Arc/Rancher proxies use) on --raw;
# RAW_PREFIX=/clusters puts it back.
raw_prefix="${RAW_PREFIX:-}"
for ctx in "$@"; do
  k() { "$kubectl" --context "$ctx" "$@"; }
  k get -n velero backupstoragelocations.velero.io,schedules.velero.io,backups.velero.io -o json >"$out/$ctx-velero.json"
  k get namespaces,storageclasses -o json >"$out/$ctx-cluster.json"
  k get -A persistentvolumeclaims,secretsyncs.secret-sync.x-k8s.io,secretproviderclasses.secrets-store.csi.x-k8s.io,gitrepositories.source.toolkit.fluxcd.io,kustomizations.kustomize.toolkit.fluxcd.io -o json >"$out/$ctx-namespaced.json"
  k get -n azure-secret-store deployment secrets-store-sync-controller-manager -o json >"$out/$ctx-sse.json"
  raw="${raw_prefix:+$raw_prefix/$ctx}"
  k get --raw "$raw/readyz?verbose" >"$out/$ctx-readyz.txt"
  k get --raw "$raw/metrics" >"$out/$ctx-metrics.txt"
done
