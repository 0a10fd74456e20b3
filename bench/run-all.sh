#!/usr/bin/env bash
# Every figure in BENCHMARKS.md, in one go (about 20 minutes on 2 cores). JSON lands in bench/results/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/results"
mkdir -p "$out"
rlpt="$root/rlpt"
"$rlpt" bench gemm --json "$out/gemm.json" -q
"$rlpt" bench tokenizer --json "$out/tokenizer.json" -q
for preset in tiny small; do
  "$rlpt" bench train --preset "$preset" --sequence-length 256 --batch-size 16 --steps 20 --json "$out/train-$preset.json" -q
done
"$rlpt" bench train --preset gpt2-124m --sequence-length 256 --batch-size 4 --steps 5 --json "$out/train-gpt2-124m.json" -q
"$rlpt" bench train --preset tiny --sequence-length 128 --batch-size 8 --steps 500 --json "$out/memory-tiny-500.json" -q
for preset in tiny small; do
  "$rlpt" bench generate --preset "$preset" --batch-sizes 1,16,64,256 --new-tokens 128 --json "$out/generate-$preset.json" -q
done
"$rlpt" bench import --generated-mb 500 --json "$out/import.json" -q
"$rlpt" bench icrl --steps 20 --json "$out/icrl.json" -q
"$rlpt" bench offline --steps 50 --json "$out/offline.json" -q
# The RL, GGUF and serving figures use the demo's models: run `./rlpt demo` first.
if [ -f "$root/runs/demo/sft/model/config.json" ]; then
  # Shared-prefix vs unshared GRPO steps: the demo's configuration, G = 16, longer prompts.
  "$rlpt" bench rl --model "$root/runs/demo/sft/model" --data "$root/runs/demo/data" --steps 5 --json "$out/rl-shared-demo.json" -q
  "$rlpt" bench rl --model "$root/runs/demo/sft/model" --data "$root/runs/demo/data" --steps 5 --num-generations 16 --json "$out/rl-shared-g16.json" -q
  "$rlpt" bench rl --model "$root/runs/demo/sft/model" --data "$root/runs/demo/data" --steps 5 --context-tokens 512 --json "$out/rl-shared-ctx512.json" -q
  "$rlpt" bench gguf --model "$root/runs/demo/pretrain/model" --batch-sizes 1,8,32 --new-tokens 64 --json "$out/gguf.json" -q
  "$rlpt" bench serve --model "$root/runs/demo/pretrain/model" --clients 1,8,32 --requests 64 --max-tokens 64 --json "$out/serve.json" -q
  "$rlpt" bench serve --model "$root/runs/demo/pretrain/model" --clients 8,32 --requests 64 --max-tokens 16,128 --json "$out/serve-mixed.json" -q
  # Local rollouts vs one engine on this machine (weights synced every step through a folder under its --weights-root).
  sync=$(mktemp -d)
  "$rlpt" serve --model "$root/runs/demo/sft/model" --port 8204 --weights-root "$sync" --max-batch-size 64 >/dev/null &
  engine=$!
  trap 'kill $engine 2>/dev/null || true; rm -rf "$sync"' EXIT
  until curl -sf http://127.0.0.1:8204/v1/models >/dev/null; do sleep 1; done
  "$rlpt" bench rl --model "$root/runs/demo/sft/model" --data "$root/runs/demo/data" --steps 5 --rollout-url http://127.0.0.1:8204/v1 --weight-sync-dir "$sync/w" --json "$out/rl-remote.json" -q
else
  echo "skipping bench rl/gguf/serve: no runs/demo (run ./rlpt demo first)" >&2
fi
