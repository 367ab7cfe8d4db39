#!/usr/bin/env bash
# Dependency audit (pip-audit) of the pinned requirements. Fails on a known vulnerability; says so plainly
# when the vulnerability data cannot be reached (these machines only reach a package mirror).
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
"$VENV/bin/pip" install -q pip-audit==2.10.1 >/dev/null 2>&1 || "$VENV/bin/pip" install -q pip-audit >/dev/null 2>&1 || {
  echo "audit: pip-audit could not be installed; dependency audit skipped" >&2; exit 0; }
out=$("$VENV/bin/pip-audit" -r requirements-dev.txt --progress-spinner off 2>&1)
status=$?
# rapidocr-onnxruntime is installed without its declared dependencies (see requirements-nodeps.txt): audit it alone.
out_nodeps=$("$VENV/bin/pip-audit" --no-deps -r requirements-nodeps.txt --progress-spinner off 2>&1) || status=$?
out="$out
$out_nodeps"
if echo "$out" | grep -qiE "found [0-9]+ known vulnerabilit"; then
  echo "$out"
  echo "audit: known vulnerabilities in the pinned requirements: upgrade the pins above" >&2
  exit 1
fi
skipped=$(echo "$out" | grep -c "could not be audited" || true)
if [ "$skipped" -gt 0 ]; then
  echo "audit: pip-audit ran, but the vulnerability data for $skipped packages could not be reached from this machine; the audit is incomplete here (run 'make audit' where PyPI's JSON API is reachable)."
else
  echo "audit: $(echo "$out" | head -n1)"
fi
[ "$status" -eq 0 ] || echo "audit: pip-audit exited with $status (not a vulnerability finding)" >&2
exit 0
