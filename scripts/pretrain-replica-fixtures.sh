#!/usr/bin/env bash
# Regenerates test/fixtures/pretrain/replica/log-workers{1,2,2-main,4}.jsonl: the PyTorch replica (scripts/torch-pretrain-replica.py)
# trained on the float32 batches and initial weights the tfjs trainer builds for test/fixtures/pretrain/replica/config.json
# (scripts/pretrain-dump-batches.ts): as one process, as 2 data-parallel shards with the sharded teacher, and as 2 shards
# with the teacher over the whole batch (train.teacher 'main'), and as 4 shards (train.shards 4: gradient accumulation).
# test/pretrain/replica.test.ts runs the tfjs trainer on the same config and compares every step's losses.
#   scripts/pretrain-replica-fixtures.sh        (needs Debian's python3-torch; run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=test/fixtures/pretrain/replica
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npx ts-node --transpile-only scripts/pretrain-dump-batches.ts "$dir/config.json" "$tmp/batches" --float32
for w in 1 2 4; do
  /usr/bin/python3 scripts/torch-pretrain-replica.py "$tmp/batches" "$tmp/w$w" --workers "$w" --threads 1
  cp "$tmp/w$w/log.jsonl" "$dir/log-workers$w.jsonl"
done
/usr/bin/python3 scripts/torch-pretrain-replica.py "$tmp/batches" "$tmp/w2main" --workers 2 --teacher main --threads 1
cp "$tmp/w2main/log.jsonl" "$dir/log-workers2-main.jsonl"
echo "wrote $dir/log-workers{1,2,2-main,4}.jsonl"
