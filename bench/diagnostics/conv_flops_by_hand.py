"""Diagnostic (not a test): the convolution flops of one One-Shot GAN train step, counted by hand from the
architecture (models/one_shot_gan/, train/one_shot_gan.cpp), as the oracle for bench_gan_step's observed count
(bench/conv_flop_counter.h); the two agree to the last printed digit. Any python3 runs it:
  python3 bench/diagnostics/conv_flops_by_hand.py
A conv's forward is 2 * N * C_out * H_out * W_out * C_in * kH * kW (a ConvTranspose2d: 2 * N * C_in * H_in * W_in *
C_out * kH * kW); the gradient to its input and the one to its weight cost one forward each.
"""
MULT_G = [8, 8, 8, 8, 8, 8, 8, 4, 2, 1]  # architecture.cpp: G takes the last blocks_g + 1, D the first blocks_d + 1
MULT_D = [1, 2, 4, 8, 8, 8, 8, 8, 8]


def conv(n, c_in, c_out, k, h):  # square maps; h = output size (stride 1, "same" padding)
    return 2 * n * c_out * h * h * c_in * k * k


def step_flops(size, blocks_g, blocks_d, blocks_low, n, ch=32, noise_dim=64):
    cg = [ch * m for m in MULT_G[len(MULT_G) - blocks_g - 1:]]
    cd = [ch * m for m in MULT_D[:blocks_d + 1]]
    noise = size >> (blocks_g - 1)
    # G: first_linear (ConvTranspose2d on a 1x1 map), then blocks (conv1, conv2 3x3 after upsampling; 1x1 shortcut
    # before it) and one 3x3 to-image conv per block.
    g_first = 2 * n * noise_dim * cg[0] * noise * noise
    g_body, g_rgb = 0, []
    for i in range(blocks_g):
        c_in, c_out = cg[i], cg[i + 1]
        mid, h, h_in = min(c_in, c_out), noise << i, noise << max(i - 1, 0)
        g_body += conv(n, c_in, mid, 3, h) + conv(n, mid, c_out, 3, h) + conv(n, c_in, c_out, 1, h_in)
        g_rgb.append(conv(n, c_out, 1, 3, h))
    g_all = g_first + g_body + sum(g_rgb)
    # D: from_rgb per low-level scale, low-level blocks (3x3, 3x3, 1x1 shortcut, then pooling) with 1x1 heads,
    # content blocks on (N, C, 1, 1) (1x1 convs), layout blocks squeezing to one channel (3x3).
    d_rgb = d_rest = 0
    for i in range(blocks_low):
        h = size >> i
        rgb_out = cd[0] if i == 0 else cd[i] // 8
        c_in = cd[0] if i == 0 else cd[i] + rgb_out
        c_out = cd[i + 1]
        mid = min(c_in, c_out)
        d_rgb += conv(n, 1, rgb_out, 3, h)
        d_rest += conv(n, c_in, mid, 3, h) + conv(n, mid, c_out, 3, h) + conv(n, c_in, c_out, 1, h) + conv(n, c_out, 1, 1, h // 2)
    h = size >> blocks_low
    for j, i in enumerate(range(blocks_low, blocks_d)):
        c_in, c_out = cd[i], cd[i + 1]
        mid = min(c_in, c_out)
        d_rest += conv(n, c_in, mid, 1, 1) + conv(n, mid, c_out, 1, 1) + conv(n, c_out, 1, 1, 1)
        d_rest += conv(n, c_in, c_out, 1, 1) if c_in != c_out else 0
        l_in = cd[i] if j == 0 else 1
        d_rest += conv(n, l_in, 1, 3, h) + conv(n, 1, 1, 3, h) + conv(n, l_in, 1, 1, h) + conv(n, 1, 1, 1, h // 2)
        h //= 2
    d_all = d_rgb + d_rest
    # Forwards: G step = G + D(fake); D step = D(real) + G under no_grad + D(fake) -> 2 G + 3 D.
    forward = 2 * g_all + 3 * d_all
    # G step backward: D is frozen (gradient to its inputs only, every conv since its input is G's images); G gets
    # both gradients on the convs that reach the loss: not the to-image convs of the scales D does not read, and no
    # input gradient for first_linear (its input is the noise).
    g_used = g_body + sum(g_rgb[blocks_g - blocks_low:])
    # D step backward: two D passes with weight gradients; their inputs (real, detached fake) need none, so the
    # from_rgb convs compute the weight gradient only.
    backward_input = d_all + g_used + 2 * d_rest
    backward_weight = g_first + g_used + 2 * d_all
    return forward, backward_input, backward_weight


# name: (size, blocks G / D / D_low, batch, channel base), as bench_gan_step's --config
CONFIGS = {"cpu": (32, 4, 5, 2, 5, 32), "cpu64": (64, 5, 6, 2, 5, 32), "small": (64, 5, 6, 2, 8, 16),
           "paper": (128, 6, 7, 3, 4, 32)}
for name, (size, bg, bd, bl, n, ch) in CONFIGS.items():
    f, bi, bw = step_flops(size, bg, bd, bl, n, ch)
    print(f"{name:6s} conv_gflop_per_step={(f + bi + bw) / 1e9:.2f} fwd={f / 1e9:.2f} bwd_input={bi / 1e9:.2f} "
          f"bwd_weight={bw / 1e9:.2f}")
