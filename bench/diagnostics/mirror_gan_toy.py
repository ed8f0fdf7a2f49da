"""Diagnostic (not a test): trains the PyTorch mirror of osgan's One-Shot GAN (reference/osgan_ref) on toy images,
a bright disc of random radius on a dark background, 64 px, ch 8, and prints losses and sample statistics every
50 steps. Shows how the method behaves on a short budget without any osgan C++ code involved.
Usage: /usr/bin/python3 bench/diagnostics/mirror_gan_toy.py STEPS ["dict(lambda_dr=0, loss='hinge', ...)"]
"""
import pathlib, sys, torch
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / 'reference'))
from osgan_ref.gan import OneShotGanRef, GanConfig
torch.manual_seed(0); torch.set_num_threads(1)
steps = int(sys.argv[1]); kw = eval(sys.argv[2]) if len(sys.argv) > 2 else {}
cfg = GanConfig(image_size=64, channels_g=8, channels_d=8, ema_decay=0.99, **kw)
gan = OneShotGanRef(cfg)
yy, xx = torch.meshgrid(torch.linspace(-1,1,64), torch.linspace(-1,1,64), indexing='ij')
def real_batch(n):
    r = 0.5 + 0.3*torch.rand(n,1,1,1)
    return (torch.where((xx**2+yy**2)[None,None] < r**2, 0.3*torch.ones(1), -torch.ones(1)) + 0.05*torch.randn(n,1,64,64)).clamp(-1,1)
for step in range(steps + 1):
    out = gan.train_step(real_batch(4))
    if step % 50 == 0:
        with torch.no_grad():
            img = gan.g(torch.randn(8, 64, 1, 1))[0][-1]
        print(step, {k: round(float(v), 3) for k, v in out.items() if k in ('d_real', 'd_fake', 'g_total', 'g_dr')},
              'bg', round(float(img[..., :6, :6].mean()), 3), 'centre', round(float(img[..., 28:36, 28:36].mean()), 3),
              'std over batch', round(float(img.std(0).mean()), 3), flush=True)
