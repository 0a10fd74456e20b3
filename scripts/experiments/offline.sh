#!/usr/bin/env bash
# The offline RL experiments of EXPERIMENTS.md, each sized for at most 30 minutes on 2 cores (run them one at a time:
# two LibTorch processes on 2 cores slow each other down tenfold).
# Usage: scripts/experiments/offline.sh EXPERIMENT [ENV] [OUT_DIR]
#   dataset-perspective (CartPole-v1 or MountainCar-v0): BC, double DQN and discrete CQL on the five dataset kinds.
#   weighting (CartPole-v1): CQL and BC with uniform, return-weighted and advantage-weighted sampling on the mixed dataset.
#   pendulum: BC, TD3+BC and IQL on Pendulum's replay and mixed datasets (5,000 updates).
#   ssorl: TD3+BC on Pendulum's replay data fully labelled, with 10 % labels + proxy labels, and on the 10 % alone.
#   wsrl: Cal-QL pre-trained on Pendulum's replay data (3,000 updates), then 20,000 online steps of WSRL or of
#         fine-tuning that keeps the offline data.
# Every configuration runs with seeds 1, 2, 3; each policy is evaluated on 50 episodes and summary.md pools the
# seeds' episodes (mean, 95 % bootstrap CI).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="${RLPT:-$root/rlpt}"
what="${1:?dataset-perspective, weighting, pendulum, ssorl or wsrl}"
case "$what" in pendulum|ssorl|wsrl) env="${2:-Pendulum-v1}" ;; *) env="${2:-CartPole-v1}" ;; esac
out="${3:-runs/experiments/offline/$env}"
mkdir -p "$out/$what"
data="$out/data"
[ -f "$data/replay.parquet" ] || "$rlpt" offline collect --env "$env" --out "$data" -q
[ -f "$data/stats/stats.md" ] || "$rlpt" offline stats "$data" -q >/dev/null
steps=10000
run() { # name dataset-file algorithm seed [train options...]
  local dir="$out/$what/$1-seed$4"
  [ -f "$dir/model/model.safetensors" ] || "$rlpt" offline train --data "$2" --algorithm "$3" --seed "$4" --max-steps "$steps" --eval-every 0 --out "$dir" -q "${@:5}" >/dev/null
  [ -f "$dir/eval/eval.json" ] || "$rlpt" offline eval --model "$dir/model" --episodes 50 --reference "$data/random.parquet" --out "$dir/eval" -q >/dev/null
}
case "$what" in
dataset-perspective)
  for kind in random expert mixed noisy replay; do for algorithm in bc double_dqn cql; do for seed in 1 2 3; do
    run "$kind-$algorithm" "$data/$kind.parquet" "$algorithm" "$seed"
  done; done; done ;;
weighting)
  for algorithm in cql bc; do for weighting in none rw aw; do for seed in 1 2 3; do
    run "mixed-$algorithm-$weighting" "$data/mixed.parquet" "$algorithm" "$seed" --weighting "$weighting"
  done; done; done ;;
pendulum)
  steps=5000
  for kind in replay mixed; do for algorithm in bc td3bc iql; do for seed in 1 2 3; do
    run "$kind-$algorithm" "$data/$kind.parquet" "$algorithm" "$seed"
  done; done; done ;;
ssorl)
  steps=5000
  for seed in 1 2 3; do
    labels="$out/ssorl/labels-seed$seed"
    [ -f "$labels/relabelled.parquet" ] || "$rlpt" offline relabel --data "$data/replay.parquet" --labelled-share 0.1 --from-worst 0.5 --seed "$seed" --out "$labels" -q >/dev/null
    run "full-td3bc" "$data/replay.parquet" td3bc "$seed"
    run "proxy-td3bc" "$labels/relabelled.parquet" td3bc "$seed"
    run "labelled-only-td3bc" "$labels/labelled_only.parquet" td3bc "$seed"
  done ;;
wsrl)
  for seed in 1 2 3; do
    pre="$out/wsrl/calql-seed$seed"
    [ -f "$pre/model/model.safetensors" ] || "$rlpt" offline train --data "$data/replay.parquet" --algorithm calql --max-steps 3000 --eval-every 0 --seed "$seed" --out "$pre" -q >/dev/null
    for mode in wsrl retain; do
      [ -f "$out/wsrl/$mode-seed$seed/finetune.json" ] || "$rlpt" offline finetune --model "$pre/model" --data "$data/replay.parquet" --mode "$mode" --seed "$seed" --out "$out/wsrl/$mode-seed$seed" -q >/dev/null
    done
  done ;;
*) echo "unknown experiment '$what'" >&2; exit 2 ;;
esac
python3 - "$out/$what" <<'PY'
import json, glob, os, random, sys
root = sys.argv[1]
rng = random.Random(0)
def ci(values):
    boots = sorted(sum(rng.choices(values, k=len(values))) / len(values) for _ in range(2000))
    return boots[49], boots[1949]
lines = []
groups = {}
for path in sorted(glob.glob(os.path.join(root, "*-seed*/eval/eval.json"))):
    name = os.path.basename(os.path.dirname(os.path.dirname(path))).rsplit("-seed", 1)[0]
    groups.setdefault(name, []).append(json.load(open(path)))
if groups:
    lines += ["| run | mean return | 95% CI | normalised score | per seed |", "|---|---:|---:|---:|---|"]
    for name, evals in groups.items():
        returns = [r for e in evals for r in e["returns"]]
        low, high = ci(returns)
        norm = [e["normalized_score"] for e in evals if e.get("normalized_score") is not None]
        lines.append(f"| {name} | {sum(returns)/len(returns):.1f} | [{low:.1f}, {high:.1f}] | {sum(norm)/len(norm):.1f} | " + ", ".join(f"{e['mean_return']:.0f}" for e in evals) + " |")
finetunes = {}
for path in sorted(glob.glob(os.path.join(root, "*-seed*/finetune.json"))):
    finetunes.setdefault(json.load(open(path))["mode"], []).append(json.load(open(path)))
if finetunes:
    lines += ["| mode | before | after | normalised before → after | regret | per seed (before → after) |", "|---|---:|---:|---:|---:|---|"]
    for mode, runs in finetunes.items():
        mean = lambda key: sum(r[key] for r in runs) / len(runs)
        lines.append(f"| {mode} | {mean('before'):.1f} | {mean('after'):.1f} | {mean('before_normalized'):.1f} → {mean('after_normalized'):.1f} | {mean('regret'):.3f} | "
                     + ", ".join(f"{r['before']:.0f} → {r['after']:.0f}" for r in runs) + " |")
labels = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(root, "labels-seed*/relabel.json")))]
if labels:
    lines.append("\ninverse dynamics model, mean absolute error on the hidden actions per seed: " + ", ".join(f"{l['mean_absolute_action_error']:.3f}" for l in labels))
open(os.path.join(root, "summary.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
