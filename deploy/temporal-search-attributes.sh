#!/usr/bin/env bash
# Register the search attributes the transfer workflow sets (once per namespace).
set -euo pipefail
ns="${MUTASI_TEMPORAL_NAMESPACE:-mutasi}"
for name in MutasiTenant MutasiStatus MutasiUnit MutasiKind; do
  temporal operator search-attribute create --namespace "$ns" --name "$name" --type Keyword
done
