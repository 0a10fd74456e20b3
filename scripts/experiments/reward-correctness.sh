#!/usr/bin/env bash
# The reward-correctness study of arXiv 2507.10532 at demo scale (EXPERIMENTS.md): RLVR on level-1 RandomCalculation from
# the demo's pretrained model with correct, random (shuffled) and inverted rewards, 3 seeds each, then one held-out eval.
# Usage: scripts/experiments/reward-correctness.sh [DEMO_DIR] [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="$root/rlpt"
demo="${1:-runs/demo}"; out="${2:-runs/experiments/reward-correctness}"
mkdir -p "$out"
models=(--model "pretrained=$demo/pretrain/model")
for mode in correct random inverted; do
  for seed in 1 2 3; do
    run="$out/$mode-$seed"
    [ -f "$run/model/model.safetensors" ] || "$rlpt" train --objective rlvr --model "$demo/pretrain/model" --data "$demo/data" --rlvr-max-level 1 \
      --reward-correctness "$mode" --num-generations 8 --prompts-per-step 4 --max-completion-length 96 --learning-rate 1e-4 --micro-batch-size 8 \
      --max-steps 30 --seed "$seed" --rlvr-seed "$seed" --save-every 0 -q --out "$run"
    models+=(--model "$mode-$seed=$run/model")
  done
done
"$rlpt" eval "${models[@]}" --data "$demo/data" --objective rlvr --rlvr-max-level 1 --tasks 64 --max-new-tokens 96 \
  --perplexity-windows 0 --arithmetic-levels 0 -q --out "$out/eval"
echo "written to $out/eval/comparison.md"
