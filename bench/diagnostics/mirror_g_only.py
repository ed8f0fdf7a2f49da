"""Diagnostic (not a test): fits the mirror's One-Shot generator alone to one fixed toy image with an L1 loss,
to show how fast the generator itself can reach a dark background (it is not the bottleneck).
Usage: /usr/bin/python3 bench/diagnostics/mirror_g_only.py LR [CH_G]
"""
import pathlib, sys, torch
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / 'reference'))
from osgan_ref.models import Generator, make_architecture
torch.manual_seed(0); torch.set_num_threads(1)
arch = make_architecture(64, 64, int(sys.argv[2]) if len(sys.argv) > 2 else 8, 8)
lr = float(sys.argv[1])
g = Generator(arch)
opt = torch.optim.Adam(g.parameters(), lr=lr, betas=(0.5, 0.999))
yy, xx = torch.meshgrid(torch.linspace(-1,1,64), torch.linspace(-1,1,64), indexing='ij')
target = torch.where((xx**2+yy**2) < 0.6**2, 0.3*torch.ones(1), -torch.ones(1))[None,None]
for step in range(401):
    z = torch.randn(4, 64, 1, 1)
    out = g(z)
    img = out[0][-1]
    loss = (img - target).abs().mean()
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 50 == 0: print(step, round(float(loss), 4), 'bg mean', round(float(img[..., :5, :5].mean()), 3), 'center', round(float(img[..., 28:36, 28:36].mean()), 3))
