#!/usr/bin/env bash
# HPT (arXiv 2509.04419) at demo scale (EXPERIMENTS.md): RLVR on level-1 RandomCalculation from the demo's pretrained model,
# GRPO alone against HPT (gamma 0: prompts with no correct rollout learn from their worked solution) and SFT -> GRPO
# (the first third of the steps SFT on the demonstrations, gamma 1, then GRPO), on the same number of steps, 3 seeds each.
# Usage: scripts/experiments/hpt.sh [DEMO_DIR] [OUT_DIR] [STEPS]; RLPT=path/to/rlpt to use another binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="${RLPT:-$root/rlpt}"
demo="${1:-runs/demo}"; out="${2:-runs/experiments/hpt}"; steps="${3:-30}"
mkdir -p "$out"
sft_steps=$((steps / 3))
rl=(--objective rlvr --rlvr-max-level 1 --num-generations 8 --prompts-per-step 4 --max-completion-length 64 --learning-rate 1e-4 --micro-batch-size 16 --save-every 0 -q)
models=(--model "pretrained=$demo/pretrain/model")
for seed in 1 2 3; do
  [ -f "$out/grpo-$seed/model/model.safetensors" ] || "$rlpt" train --model "$demo/pretrain/model" "${rl[@]}" --max-steps "$steps" --seed "$seed" --rlvr-seed "$seed" --out "$out/grpo-$seed"
  [ -f "$out/hpt-$seed/model/model.safetensors" ] || "$rlpt" train --model "$demo/pretrain/model" "${rl[@]}" --max-steps "$steps" --hpt-gamma 0 --seed "$seed" --rlvr-seed "$seed" --out "$out/hpt-$seed"
  [ -f "$out/sft-$seed/model/model.safetensors" ] || "$rlpt" train --model "$demo/pretrain/model" "${rl[@]}" --max-steps "$sft_steps" --hpt-gamma 1 --seed "$seed" --rlvr-seed "$seed" --out "$out/sft-$seed"
  [ -f "$out/sft-grpo-$seed/model/model.safetensors" ] || "$rlpt" train --model "$out/sft-$seed/model" "${rl[@]}" --max-steps $((steps - sft_steps)) --seed "$seed" --rlvr-seed "$((seed + 100))" --out "$out/sft-grpo-$seed"
  models+=(--model "grpo-$seed=$out/grpo-$seed/model" --model "hpt-$seed=$out/hpt-$seed/model" --model "sft-grpo-$seed=$out/sft-grpo-$seed/model")
done
"$rlpt" eval "${models[@]}" --data "$demo/data" --objective rlvr --rlvr-max-level 1 --tasks 64 --max-new-tokens 64 \
  --perplexity-windows 0 --arithmetic-levels 0 -q --out "$out/eval"
echo "written to $out/eval/comparison.md"
