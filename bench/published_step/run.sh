#!/usr/bin/env bash
# Seconds per train step of osgan's One-Shot GAN against the published PyTorch code, side by side: rounds alternate
# osgan, published, osgan, ... on the same training images, one thread each, same niceness; steps 10-90 of each
# 90-step run are timed. Prints the table with the ratio (docs/one-shot-gan.md, "Speed against the published code").
#   bench/published_step/run.sh PUBLISHED_DIR OUT [ROUNDS] [CONFIG]
# PUBLISHED_DIR: a checkout of github.com/boschresearch/one-shot-synthesis (AGPL; run, never copied into osgan).
# Needs /usr/bin/python3 with python3-torch and python3-torchvision. Its data loader's num_workers=8 forks 8 reader
# processes; set it to 0 in your checkout (core/dataloading.py) for a one-core comparison.
# CONFIG (default: the published 64 px model at ch 32 with DA off, as the published code runs without kornia) must match the
# published flags below: 64 px, ch 32, batch 5, DA off.
set -euo pipefail
published=$(realpath "$1") out=$(realpath -m "$2") rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
config=$(realpath "${4:-$here/../learning_curve/64px_ch32_noda_n002.yaml}")
osgan=$(realpath "${OSGAN:-build/bin/osgan}")
data=$(realpath "${DATA:-../shared/data/mri_based_brain_tumor_images}")
steps=90 first=10
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mkdir -p "$out/datasets/tumor/image"
[ -f "$out/split.json" ] || "$osgan" split --data "$data" --out "$out/split.json" --seed 1
# The published code reads one folder of images: the same training side of the tumour class.
/usr/bin/python3 - "$out/split.json" "$data" "$out/datasets/tumor/image" <<'PY'
import json, os, sys
split, data, folder = sys.argv[1:]
for entry in json.load(open(split))["samples"]:
    if entry["side"] != "train" or entry["label"] != "tumor":
        continue
    source = os.path.join(data, entry["id"])
    target = os.path.join(folder, os.path.basename(source))
    if not os.path.exists(target):
        os.symlink(source, target)
PY
for r in $(seq 1 "$rounds"); do
  rm -rf "$out/osgan_r$r"
  /usr/bin/time -v -o "$out/osgan_r$r.time" nice -n 5 "$osgan" train-gan --data "$data" --class tumor \
    --split "$out/split.json" --config "$config" --steps $steps --threads 1 --sample-every 1000000 \
    --checkpoint-every 1000000 --quality-every 0 --out "$out/osgan_r$r" 2>&1 \
    | /usr/bin/python3 -u "$here/timestamps.py" > "$out/osgan_r$r.log"
  rm -rf "$out/published_runs"
  (cd "$published" && PYTHONPATH="$here/stubs" STEP_LOG="$out/published_r$r.steps" \
    /usr/bin/time -v -o "$out/published_r$r.time" nice -n 5 /usr/bin/python3 "$here/step_log.py" \
    --exp_name "r$r" --checkpoints_dir "$out/published_runs" --cpu --dataset_name tumor --dataroot "$out/datasets" \
    --max_size 64 --ch_G 32 --ch_D 32 --batch_size 5 --use_kornia_augm --prob_augm 0 --num_epochs $((steps - 1)) \
    --freq_print 1000000 --freq_save_ckpt 1000000 --freq_save_loss 1000000 > "$out/published_r$r.log" 2>&1)
  uptime >> "$out/load.log"
done
/usr/bin/python3 "$here/table.py" "$out" "$rounds" $first $steps
