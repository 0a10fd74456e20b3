#!/usr/bin/env bash
# Echo Chamber (arXiv 2504.07912) at CPU scale (EXPERIMENTS.md): pretrain a small model from scratch on worked arithmetic
# whose answers are stated in three formats (conclusion 60%, boxed 30%, hash 10%), then RLVR with GRPO, PPO (GAE from a
# value head) and Expert Iteration (best of G, SFT on it) on the same budget, 2 seeds each. Each step's metrics hold the
# share of completions in each format (rlvr/format/*); the held-out eval reports them too.
# Usage: scripts/experiments/echo-chamber.sh [OUT_DIR] [STEPS]; RLPT=path/to/rlpt to use another binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="${RLPT:-$root/rlpt}"
out="${1:-runs/experiments/echo-chamber}"; steps="${2:-40}"
mkdir -p "$out"
[ -f "$out/data/meta.json" ] || "$rlpt" corpus import --arithmetic 8000 --arithmetic-max-level 2 --arithmetic-format conclusion=0.6 \
  --arithmetic-format boxed=0.3 --arithmetic-format hash=0.1 --vocab-size 2048 -q --out "$out/data"
[ -f "$out/pretrain/model/model.safetensors" ] || "$rlpt" pretrain --data "$out/data" --preset small --max-steps 400 --batch-size 8 \
  --sequence-length 128 --learning-rate 1e-3 --warmup-steps 30 --eval-every 100 --save-every 0 -q --out "$out/pretrain"
models=(--model "pretrained=$out/pretrain/model")
rl=(--objective rlvr --rlvr-max-level 2 --num-generations 8 --prompts-per-step 8 --max-completion-length 64 --learning-rate 1e-4 --micro-batch-size 16 --max-steps "$steps" --save-every 0 -q)
for seed in 1 2; do
  for algorithm in grpo ppo ei; do
    case "$algorithm" in
      grpo) extra=() ;;
      ppo) extra=(--advantage-estimator gae --vf-coef 0.1) ;;
      ei) extra=(--advantage-estimator best_of_g --policy-loss sft) ;;
    esac
    run="$out/$algorithm-$seed"
    [ -f "$run/model/model.safetensors" ] || "$rlpt" train --model "$out/pretrain/model" "${rl[@]}" "${extra[@]}" --seed "$seed" --rlvr-seed "$seed" --out "$run"
    models+=(--model "$algorithm-$seed=$run/model")
  done
done
"$rlpt" eval "${models[@]}" --data "$out/data" --objective rlvr --rlvr-max-level 2 --tasks 64 --max-new-tokens 64 \
  --perplexity-windows 32 --arithmetic-levels 0 -q --out "$out/eval"
echo "written to $out/eval/comparison.md"
