#!/usr/bin/env bash
# CLI test of `osgan export`. Usage: test_cli_export.sh OSGAN_BINARY
# Trains a tiny One-Shot GAN on toy discs, writes 6 images with `osgan generate --seed 9`, exports the generator,
# then checks in Python that torch.jit.load gives a module with the documented attributes and metadata, and that
# it reproduces those 6 PNGs from the same noise (osgan's per-image seeds, re-derived in Python). Also checks the
# errors: a file that is not a checkpoint, and a missing one.
set -uo pipefail
osgan="$1"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
py=/usr/bin/python3
"$py" -c "import torch" 2>/dev/null || fail "$py has no torch (scripts/install-deps installs python3-torch)"

"$py" "$here/make_toy_discs.py" "$work/data" 3 1 64 > /dev/null || fail "could not make toy data"
"$osgan" train-gan --preset smoke --data "$work/data" --class tumor --steps 2 --batch 2 --threads 1 --device cpu \
  --quiet --out "$work/run" || fail "train-gan exited with $?"
ckpt="$work/run/checkpoints/latest.pt"
"$osgan" generate --checkpoint "$ckpt" --count 6 --seed 9 --out "$work/gen" --device cpu --quiet \
  || fail "generate exited with $?"
"$osgan" export --checkpoint "$ckpt" --out "$work/export/generator.pt" --quiet > "$work/out.txt" \
  || fail "export exited with $?"
grep -q "one-shot generator (step 2) written to" "$work/out.txt" || fail "export printed: $(cat "$work/out.txt")"

"$py" - "$work/export/generator.pt" "$work/gen" "$ckpt" <<'PY' || fail "the exported module does not match osgan"
import hashlib, json, struct, sys, zlib
import torch

module_path, gen_dir, ckpt = sys.argv[1:]
extra = {"osgan.json": ""}
g = torch.jit.load(module_path, _extra_files=extra)
meta = json.loads(extra["osgan.json"])
assert meta["format"] == "osgan-generator-torchscript", meta
assert meta["checkpoint_sha256"] == hashlib.sha256(open(ckpt, "rb").read()).hexdigest(), "checkpoint hash"
assert (g.arch, g.noise_dim, g.image_size, g.image_channels) == ("one-shot", 64, 64, 1), (g.arch, g.noise_dim)

def mix_seed(seed, index):  # osgan's per-image seed (SplitMix64 finaliser), see src/osgan/train/generate.cpp
    m = (1 << 64) - 1
    z = (seed + 0x9E3779B97F4A7C15 * (index + 1)) & m
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & m
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & m
    return z ^ (z >> 31)

def read_grey_png(path):  # 8-bit grey, non-interlaced, any filter: enough for osgan's own PNGs
    data = open(path, "rb").read()
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour == 0, "expected 8-bit grey"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev = zlib.decompress(idat), [], bytearray(w)
    for y in range(h):
        f, line = raw[y * (w + 1)], bytearray(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
        for x in range(w):
            a = line[x - 1] if x else 0
            b, c = prev[x], (prev[x - 1] if x else 0)
            p = a + b - c
            pred = [0, a, b, (a + b) // 2,
                    a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else (b if abs(p - b) <= abs(p - c) else c)][f]
            line[x] = (line[x] + pred) & 255
        rows.append(bytes(line)); prev = line
    return torch.tensor([list(r) for r in rows], dtype=torch.float32)

worst = 0.0
for i in range(6):
    z = torch.randn(1, g.noise_dim, 1, 1, generator=torch.Generator().manual_seed(mix_seed(9, i)))
    with torch.no_grad():
        x = g(z)  # (1, 1, 64, 64) in [-1, 1]
    assert x.shape == (1, 1, 64, 64) and x.abs().max() <= 1, x.shape
    pixels = torch.round(((x[0, 0] + 1) * 127.5).clamp(0, 255))  # osgan's mapping to 8-bit grey
    png = read_grey_png(f"{gen_dir}/synthetic_{i + 1:05d}.png")
    worst = max(worst, float((pixels - png).abs().max()))
assert worst <= 1, f"exported module differs from osgan generate by {worst} grey levels"
print(f"torch.jit.load OK; 6 images match osgan generate within {worst:g} grey levels")
PY

# Errors: not a checkpoint, a missing file. One line naming the file, exit 1, nothing written.
printf 'junk' > "$work/junk.pt"
"$osgan" export --checkpoint "$work/junk.pt" --out "$work/bad.pt" 2> "$work/err"; code=$?
[ "$code" -eq 1 ] || fail "export of a junk file should exit 1, got $code"
grep -q "junk.pt" "$work/err" || fail "the error should name the file: $(cat "$work/err")"
[ ! -e "$work/bad.pt" ] || fail "export wrote a file after an error"
"$osgan" export --checkpoint "$work/missing.pt" --out "$work/bad.pt" 2> "$work/err"; code=$?
[ "$code" -ne 0 ] || fail "export of a missing file should fail"
grep -q "missing.pt" "$work/err" || fail "the error should name the missing file: $(cat "$work/err")"
echo "cli_export: OK"
