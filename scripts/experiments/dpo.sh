#!/usr/bin/env bash
# DPO at demo scale (EXPERIMENTS.md): from the demo's cold start, DPO on on-policy pairs (best vs worst of 8 samples by the
# demo's RLPT rewards, 480 prompts: the demo's RL budget of samples) against GRPO on the same samples budget (the demo's RL
# stage, 60 steps of 8 prompts x 8), 3 seeds each; then TULU 3's order with RLPT as the RL stage, SFT -> DPO -> GRPO, once;
# then one held-out RLPT evaluation of every checkpoint.
# Usage: scripts/experiments/dpo.sh [DEMO_DIR] [OUT_DIR]; RLPT=path/to/rlpt to use another binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="${RLPT:-$root/rlpt}"
demo="${1:-runs/demo}"; out="${2:-runs/experiments/dpo}"
mkdir -p "$out"
tasks=(--context-tokens 192 --max-target-tokens 48 --reward prefix_dense=1 --reward numeric=1)
models=(--model "cold=$demo/sft/model")
for seed in 1 2 3; do
  [ -f "$out/dpo-$seed/model/model.safetensors" ] || "$rlpt" dpo --model "$demo/sft/model" --objective rlpt --data "$demo/data" "${tasks[@]}" \
    --pair-prompts 480 --num-generations 8 --max-completion-length 48 --beta 0.1 --learning-rate 1e-4 --batch-size 8 --seed "$seed" --save-every 0 -q --out "$out/dpo-$seed"
  [ -f "$out/grpo-$seed/model/model.safetensors" ] || "$rlpt" train --model "$demo/sft/model" --data "$demo/data" "${tasks[@]}" \
    --num-generations 8 --prompts-per-step 8 --max-completion-length 48 --learning-rate 1e-4 --max-steps 60 --micro-batch-size 8 --seed "$seed" --save-every 0 -q --out "$out/grpo-$seed"
  models+=(--model "dpo-$seed=$out/dpo-$seed/model" --model "grpo-$seed=$out/grpo-$seed/model")
done
# The pipeline: GRPO from the first DPO model, on the same budget again.
[ -f "$out/dpo-grpo/model/model.safetensors" ] || "$rlpt" train --model "$out/dpo-1/model" --data "$demo/data" "${tasks[@]}" \
  --num-generations 8 --prompts-per-step 8 --max-completion-length 48 --learning-rate 1e-4 --max-steps 60 --micro-batch-size 8 --seed 1 --save-every 0 -q --out "$out/dpo-grpo"
models+=(--model "dpo-grpo=$out/dpo-grpo/model")
"$rlpt" eval "${models[@]}" --data "$demo/data" --objective rlpt "${tasks[@]}" --tasks 64 --samples 4 --max-new-tokens 48 \
  --perplexity-windows 32 --arithmetic-levels 0 -q --out "$out/eval"
echo "written to $out/eval/comparison.md"
