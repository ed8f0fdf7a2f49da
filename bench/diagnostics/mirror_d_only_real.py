"""Diagnostic (not a test): trains only the mirror's One-Shot discriminator to tell real slices from flat grey
8x8-block images (what a stuck generator draws) and prints each branch's loss (real + fake; chance is about 0.46
per branch). Real slices are 64x64 binary PGMs, e.g. made with ImageMagick:
  for f in DATA/tumor/*.jpg; do convert "$f" -colorspace Gray -resize 64x64! "PGM_DIR/$(basename "$f" .jpg).pgm"; done
Usage: /usr/bin/python3 bench/diagnostics/mirror_d_only_real.py PGM_DIR CH_D LR
"""
import glob, pathlib, sys, torch
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / 'reference'))
from osgan_ref.models import Discriminator, make_architecture, image_pyramid
from osgan_ref.losses import branch_losses, branch_weights
torch.manual_seed(0); torch.set_num_threads(1)
def read_pgm(p):
    b = open(p, 'rb').read(); parts = b.split(b'\n', 3)  # P5\nW H\n255\n
    w, h = map(int, parts[1].split()); data = parts[3]
    return torch.tensor(list(data[:w*h]), dtype=torch.float32).view(1, h, w) / 127.5 - 1
reals = torch.stack([read_pgm(p) for p in sorted(glob.glob(sys.argv[1] + '/*.pgm'))])
print(reals.shape, float(reals.mean()))
arch = make_architecture(64, 64, 8, int(sys.argv[2]))
d = Discriminator(arch)
opt = torch.optim.Adam(d.parameters(), lr=float(sys.argv[3]), betas=(0.5, 0.999))
w = branch_weights(arch.blocks_d)
def fake_batch(n):  # grey blocky images like the stuck generator's
    return torch.nn.functional.interpolate(0.3 * torch.randn(n, 1, 8, 8), scale_factor=8, mode='nearest').tanh()
for step in range(301):
    real = reals[torch.randint(len(reals), (4,))]
    fake = fake_batch(4)
    o_r = d(image_pyramid(real, arch.blocks_d_low))
    o_f = d(image_pyramid(fake, arch.blocks_d_low))
    br = branch_losses(*o_r, w, 'bce', True, False); bf = branch_losses(*o_f, w, 'bce', False, False)
    tot = sum(br.values()) + sum(bf.values())
    opt.zero_grad(); tot.backward(); opt.step()
    if step % 50 == 0:
        print(step, round(float(tot), 3), {k: round(float(br[k] + bf[k]), 3) for k in br}, flush=True)
