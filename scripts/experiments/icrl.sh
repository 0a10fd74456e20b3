#!/usr/bin/env bash
# The in-context RL experiments of EXPERIMENTS.md, each sized for at most 30 minutes on 2 cores (run them one at a time:
# two LibTorch processes on 2 cores slow each other down tenfold).
# Usage: scripts/experiments/icrl.sh darkroom|permuted|demo-seeds|bandit|ad-lhf|lhf-varied|keytodoor|imitation [OUT_DIR]   (the demo itself: ./rlpt icrl demo)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rlpt="${RLPT:-$root/rlpt}"
what="${1:?darkroom, permuted, demo-seeds, bandit, ad-lhf, lhf-varied, keytodoor or imitation}"; out="${2:-runs/experiments/icrl}"
mkdir -p "$out"
train() { [ -f "$2/model/model.safetensors" ] || "$rlpt" icrl train --data "$1" --out "$2" -q "${@:3}"; }

case "$what" in
darkroom)
  # DPT on Dark Room 10x10, held-out goals, the longest run that fits: the reference's 80,000 training contexts,
  # 10,000 steps of 128 at peak learning rate 1e-3 (the demo: 20,000 contexts, 3,000 steps).
  [ -f "$out/darkroom-data/train.safetensors" ] || "$rlpt" icrl data --env darkroom --contexts 80000 --out "$out/darkroom-data" -q
  train "$out/darkroom-data" "$out/darkroom-dpt" --max-steps 10000 --eval-every 1000 --save-every 2000
  "$rlpt" icrl eval --model "$out/darkroom-dpt/model" --out "$out/darkroom-eval" -q ;;
permuted)
  # DPT on permuted Dark Room (goal in the far corner, buttons permuted per task; 96 / 24 orders), the demo's budget.
  [ -f "$out/permuted-data/train.safetensors" ] || "$rlpt" icrl data --env darkroom_permuted --contexts 20000 --out "$out/permuted-data" -q
  train "$out/permuted-data" "$out/permuted-dpt" --max-steps 3000 --eval-every 500 --save-every 1000
  "$rlpt" icrl eval --model "$out/permuted-dpt/model" --out "$out/permuted-eval" -q ;;
demo-seeds)
  # The demo's DPT training with two more initialisation / data-order seeds, on the demo's data (run ./rlpt icrl demo first).
  for seed in 2 3; do
    train runs/icrl-demo/data "$out/demo-seed$seed" --max-steps 3000 --eval-every 500 --save-every 500 --seed "$seed"
    "$rlpt" icrl eval --model "$out/demo-seed$seed/model" --out "$out/demo-seed$seed-eval" -q
  done ;;
bandit)
  # DPT on 5-armed Gaussian bandits (sigma 0.3), horizon 100, against Emp / UCB / LCB / Thompson sampling on 200 tasks.
  [ -f "$out/bandit-data/train.safetensors" ] || "$rlpt" icrl data --env bandit_gaussian --horizon 100 --contexts 40000 --out "$out/bandit-data" -q
  train "$out/bandit-data" "$out/bandit-dpt" --max-steps 6000 --batch-size 64 --learning-rate 1e-3 --eval-every 1000 --save-every 2000
  "$rlpt" icrl eval --model "$out/bandit-dpt/model" --out "$out/bandit-eval" -q ;;
ad-lhf)
  # AD with and without LHF on AD's Dark Room (9x9, horizon 20, centre start), clean and noisy (30% random actions) histories.
  for noise in 0 0.3; do
    data="$out/ad-data-noise$noise"
    [ -f "$data/histories.safetensors" ] || "$rlpt" icrl data --method ad --env darkroom --size 9 --horizon 20 --start center \
      --histories-per-task 20 --episodes 40 --action-noise "$noise" --out "$data" -q
    for filter in none lhf; do
      run="$out/ad-noise$noise-$filter"
      train "$data" "$run" --method ad --history-filter "$filter" --max-steps 2000 --sequence-length 80 --eval-every 500 --save-every 1000
      "$rlpt" icrl eval --model "$run/model" --online-episodes 40 --sample --out "$run-eval" -q
    done
  done ;;
lhf-varied)
  # LHF where histories differ in quality: each history's AD^eps learner has a speed drawn log-uniformly from [0.1, 1]
  # (slow ones are still exploring at the end), clean and noisy; AD with and without LHF, two training seeds each.
  for noise in 0 0.3; do
    data="$out/varied-data-noise$noise"
    [ -f "$data/histories.safetensors" ] || "$rlpt" icrl data --method ad --env darkroom --size 9 --horizon 20 --start center \
      --histories-per-task 20 --episodes 40 --slowest-learner 0.1 --action-noise "$noise" --out "$data" -q
    for seed in 1234 2; do
      for filter in none lhf; do
        run="$out/varied-noise$noise-$filter-seed$seed"
        train "$data" "$run" --method ad --history-filter "$filter" --max-steps 2000 --sequence-length 80 --eval-every 500 --save-every 1000 --seed "$seed"
        "$rlpt" icrl eval --model "$run/model" --online-episodes 40 --sample --out "$run-eval" -q
      done
    done
  done ;;
keytodoor)
  # AD on Key-to-Door (9x9, horizon 50, centre start; 5,184 training / 1,296 held-out (key, door) pairs), AD^eps
  # histories of 40 episodes on the first N training tasks (N = 2000 and 200: AD reports in-context learning only with
  # enough tasks), windows of 150 steps (3 episodes); evaluated on 100 training and 100 held-out tasks.
  for tasks in 2000 200; do
    data="$out/k2d-data-tasks$tasks"
    [ -f "$data/histories.safetensors" ] || "$rlpt" icrl data --method ad --env keytodoor --size 9 --horizon 50 --start center \
      --train-tasks "$tasks" --histories-per-task $((2000 / tasks)) --episodes 40 --out "$data" -q
    run="$out/k2d-ad-tasks$tasks"
    train "$data" "$run" --method ad --max-steps 3000 --sequence-length 150 --eval-every 500 --save-every 1000
    "$rlpt" icrl eval --model "$run/model" --tasks 100 --online-episodes 40 --sample --out "$run-eval" -q
  done ;;
imitation)
  # Transformers as decision makers: AD imitating LinUCB on linear bandits and Thompson sampling on Bernoulli bandits.
  for pair in bandit_linear:linucb bandit_bernoulli:ts; do
    env="${pair%%:*}"; source="${pair##*:}"; data="$out/imitation-$env"
    [ -f "$data/histories.safetensors" ] || "$rlpt" icrl data --method ad --env "$env" --horizon 100 --source "$source" --contexts 10000 --out "$data" -q
    train "$data" "$out/imitation-$env-ad" --method ad --sequence-length 100 --max-steps 2000 --batch-size 64 --eval-every 500 --save-every 1000
    "$rlpt" icrl eval --model "$out/imitation-$env-ad/model" --out "$out/imitation-$env-eval" -q
  done ;;
*) echo "unknown experiment '$what' (darkroom, permuted, demo-seeds, bandit, ad-lhf, imitation)" >&2; exit 2 ;;
esac
echo "written to $out"
