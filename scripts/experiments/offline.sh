#!/usr/bin/env bash
# The offline RL experiments of EXPERIMENTS.md, each sized for at most 30 minutes on 2 cores (run them one at a time:
# two LibTorch processes on 2 cores slow each other down tenfold).
# Usage: scripts/experiments/offline.sh dataset-perspective|weighting [ENV] [OUT_DIR]
#   dataset-perspective: BC, double DQN and discrete CQL on the five dataset kinds (Schweighofer et al.), 3 seeds each.
#   weighting: CQL and BC with uniform, return-weighted and advantage-weighted sampling on the mixed dataset, 3 seeds each.
# Each policy is evaluated on 50 episodes; summary.md pools the 3 seeds' 150 episodes (mean, 95 % bootstrap CI).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="${RLPT:-$root/rlpt}"
what="${1:?dataset-perspective or weighting}"; env="${2:-CartPole-v1}"; out="${3:-runs/experiments/offline/$env}"
mkdir -p "$out"
data="$out/data"
[ -f "$data/replay.parquet" ] || "$rlpt" offline collect --env "$env" --out "$data" -q
[ -f "$data/stats/stats.md" ] || "$rlpt" offline stats "$data" -q >/dev/null
run() { # name dataset algorithm seed [options...]
  local dir="$out/$what/$1-seed$4"
  [ -f "$dir/model/model.safetensors" ] || "$rlpt" offline train --data "$data/$2.parquet" --algorithm "$3" --seed "$4" --max-steps 10000 --eval-every 0 --out "$dir" -q "${@:5}" >/dev/null
  [ -f "$dir/eval/eval.json" ] || "$rlpt" offline eval --model "$dir/model" --episodes 50 --reference "$data/random.parquet" --out "$dir/eval" -q >/dev/null
}
case "$what" in
dataset-perspective)
  for kind in random expert mixed noisy replay; do for algorithm in bc double_dqn cql; do for seed in 1 2 3; do
    run "$kind-$algorithm" "$kind" "$algorithm" "$seed"
  done; done; done ;;
weighting)
  for algorithm in cql bc; do for weighting in none rw aw; do for seed in 1 2 3; do
    run "mixed-$algorithm-$weighting" mixed "$algorithm" "$seed" --weighting "$weighting"
  done; done; done ;;
*) echo "unknown experiment '$what'" >&2; exit 2 ;;
esac
python3 - "$out/$what" <<'PY'
import json, glob, os, random, sys
root = sys.argv[1]
groups = {}
for path in sorted(glob.glob(os.path.join(root, "*-seed*/eval/eval.json"))):
    name = os.path.basename(os.path.dirname(os.path.dirname(path))).rsplit("-seed", 1)[0]
    groups.setdefault(name, []).append(json.load(open(path)))
rng = random.Random(0)
lines = ["| run | mean return | 95% CI | normalised score | per seed |", "|---|---:|---:|---:|---|"]
for name, evals in groups.items():
    returns = [r for e in evals for r in e["returns"]]
    mean = sum(returns) / len(returns)
    boots = sorted(sum(rng.choices(returns, k=len(returns))) / len(returns) for _ in range(2000))
    norm = [e["normalized_score"] for e in evals if e.get("normalized_score") is not None]
    lines.append(f"| {name} | {mean:.1f} | [{boots[49]:.1f}, {boots[1949]:.1f}] | {sum(norm)/len(norm):.1f} | " + ", ".join(f"{e['mean_return']:.0f}" for e in evals) + " |")
open(os.path.join(root, "summary.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
