#!/usr/bin/env bash
# PretrainZero at demo scale (EXPERIMENTS.md), on the Brown Corpus passages only (the paper: Wikipedia): a cold start in both roles' formats from the demo's pretrained model, then
# RL with the policy's own masks (generator) against the paper's baselines, random spans (random RLPT) and the next word,
# 3 seeds each on the same budget, then one held-out eval of every checkpoint.
# Usage: scripts/experiments/pretrainzero.sh [DEMO_DIR] [OUT_DIR] [STEPS]; RLPT=path/to/rlpt to use another binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="${RLPT:-$root/rlpt}"
demo="${1:-runs/demo}"; out="${2:-runs/experiments/pretrainzero}"; steps="${3:-60}"
mkdir -p "$out"
passages=(--context-tokens 96 --source brown)
[ -f "$out/cold/model/model.safetensors" ] || "$rlpt" sft --task pretrainzero --model "$demo/pretrain/model" --data "$demo/data" "${passages[@]}" \
  --examples 2000 --epochs 1 --learning-rate 5e-4 --max-length 256 --save-every 0 -q --out "$out/cold"
models=(--model "pretrained=$demo/pretrain/model" --model "cold=$out/cold/model")
# The same predictor budget per step: the generator's 2 passages x 8 proposals give up to 16 masks; the baselines pose 16.
for masks in generator random next_word; do
  prompts=16; [ "$masks" = generator ] && prompts=2
  for seed in 1 2 3; do
    run="$out/$masks-$seed"
    [ -f "$run/model/model.safetensors" ] || "$rlpt" train --objective pretrainzero --pz-masks "$masks" --model "$out/cold/model" --data "$demo/data" "${passages[@]}" \
      --num-generations 8 --prompts-per-step "$prompts" --max-completion-length 24 --pz-answer-tokens 16 --learning-rate 1e-4 --micro-batch-size 16 \
      --max-steps "$steps" --seed "$seed" --pz-seed "$seed" --save-every 0 -q --out "$run"
    models+=(--model "$masks-$seed=$run/model")
  done
done
"$rlpt" eval "${models[@]}" --data "$demo/data" --objective pretrainzero "${passages[@]}" --tasks 96 --max-new-tokens 24 --pz-answer-tokens 16 \
  --perplexity-windows 32 --arithmetic-levels 0 -q --out "$out/eval"
echo "written to $out/eval/comparison.md"
