#!/usr/bin/env bash
# The training core's two proofs on the demo's data and budget (EXPERIMENTS.md, 2026-12-01):
#   RLP from the pretrained model against continued next-token pretraining for the same training-loop seconds;
#   EMPO (no labels) from the cold start against GRPO with the true answers (numeric reward), on the arithmetic documents.
# Three seeds each, then one rlpt eval per experiment with paired bootstrap differences from the starting model.
# Needs the full demo's models first: ./rlpt demo  (runs/demo/{data,pretrain,sft}).
# Usage: scripts/experiments/objectives.sh [DEMO_DIR] [OUT_DIR] [SEEDS...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="$root/rlpt"
demo="${1:-runs/demo}"; out="${2:-runs/experiments/objectives}"; shift $(( $# > 2 ? 2 : $# )) || true
seeds=("${@:-1 2 3}"); seeds=(${seeds[@]})
mkdir -p "$out"

# The demo's RL budget and task shape (DemoOptions): 8 samples, 4 prompts per step, lr 1e-4; prompts of 192 context tokens.
rl=(--num-generations 8 --prompts-per-step 4 --learning-rate 1e-4 --micro-batch-size 8 --save-every 0 -q)
tasks=(--context-tokens 192 --max-target-tokens 48)

step_seconds() { python3 -c "import json,sys; print(sum(json.loads(l)['step_time'] for l in open(sys.argv[1])))" "$1/metrics.jsonl"; }

for seed in "${seeds[@]}"; do
  # RLP: 32-token thoughts at temperature 0.7 (the paper's), rloo advantages (its G/(G-1) scaling), 20 steps.
  [ -f "$out/rlp-$seed/model/model.safetensors" ] || "$rlpt" train --objective rlp --model "$demo/pretrain/model" --data "$demo/data" "${rl[@]}" \
    --max-completion-length 32 --temperature 0.7 --advantage-estimator rloo --max-steps 20 --seed "$seed" --rlp-seed "$seed" --out "$out/rlp-$seed"
  seconds=$(step_seconds "$out/rlp-$seed")
  # The control: the same seconds of next-token pretraining from the same model, at the same constant learning rate.
  [ -f "$out/cpt-$seed/model/model.safetensors" ] || "$rlpt" pretrain --init-from "$demo/pretrain/model" --data "$demo/data" --max-seconds "$seconds" \
    --max-steps 1000000 --batch-size 8 --sequence-length 256 --learning-rate 1e-4 --min-learning-rate 1e-4 --warmup-steps 0 \
    --eval-every 0 --save-every 0 --seed "$seed" -q --out "$out/cpt-$seed"
done
for seed in "${seeds[@]}"; do
  # EMPO against GRPO with the true answers: the same arithmetic questions (--source), 48-token answers, 20 steps.
  [ -f "$out/empo-$seed/model/model.safetensors" ] || "$rlpt" train --objective empo --source arithmetic --model "$demo/sft/model" --data "$demo/data" "${rl[@]}" "${tasks[@]}" \
    --max-completion-length 48 --max-steps 20 --seed "$seed" --out "$out/empo-$seed"
  [ -f "$out/grpo-$seed/model/model.safetensors" ] || "$rlpt" train --objective rlpt --reward numeric=1 --source arithmetic --model "$demo/sft/model" --data "$demo/data" "${rl[@]}" "${tasks[@]}" \
    --max-completion-length 48 --max-steps 20 --seed "$seed" --out "$out/grpo-$seed"
done

models=(--model "pretrained=$demo/pretrain/model"); for seed in "${seeds[@]}"; do models+=(--model "rlp-$seed=$out/rlp-$seed/model" --model "cpt-$seed=$out/cpt-$seed/model"); done
"$rlpt" eval "${models[@]}" --data "$demo/data" --objective rlp --tasks 64 --max-new-tokens 32 --perplexity-windows 64 --arithmetic-levels 3 --arithmetic-problems 20 -q --out "$out/eval-rlp"
models=(--model "cold-start=$demo/sft/model"); for seed in "${seeds[@]}"; do models+=(--model "empo-$seed=$out/empo-$seed/model" --model "grpo-$seed=$out/grpo-$seed/model"); done
"$rlpt" eval "${models[@]}" --data "$demo/data" --objective empo --source arithmetic "${tasks[@]}" --reward numeric=1 --tasks 64 --samples 4 --max-new-tokens 48 \
  --perplexity-windows 64 --arithmetic-levels 3 --arithmetic-problems 20 -q --out "$out/eval-empo"
echo "written to $out/eval-rlp/comparison.md and $out/eval-empo/comparison.md"
