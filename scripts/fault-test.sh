#!/usr/bin/env bash
# The fault-injection harness at full strength (RELIABILITY.md): 50 kill -9 per command (pretrain, sft, train, demo),
# 5,000 hostile requests and a 10,000-request soak against a real rlpt serve, the damaged-file corpus, signals,
# disk-full saves, the server's limits and the hostile templates. The test suite runs the same checks at reduced
# strength. Takes about 30 minutes on 2 cores. Extra arguments go to dotnet test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export RLPT_FAULT_KILLS="${RLPT_FAULT_KILLS:-50}"
export RLPT_FAULT_REQUESTS="${RLPT_FAULT_REQUESTS:-5000}"
export RLPT_SOAK_REQUESTS="${RLPT_SOAK_REQUESTS:-10000}"
export RLPT_SOAK_STEPS="${RLPT_SOAK_STEPS:-500}"
# 50 kills of the demo take longer than the suite's 10 minutes per test.
export RLPT_HANG_TIMEOUT="${RLPT_HANG_TIMEOUT:-60m}"
exec "$root/scripts/test.sh" --filter "FullyQualifiedName~Rlpt.Tests.Reliability|FullyQualifiedName~ServerSecurityTests|FullyQualifiedName~HostileTemplateTests|FullyQualifiedName~EngineApiTests.WeightUpdatesReadOnly" \
  --logger "console;verbosity=detailed" "$@"
