"""One-Shot GAN losses (spec 1.5): per-output BCE-with-logits or hinge, branch weights 0.5/N_D, 0.5/N_D, 1.0/N_D,
and the code form of diversity regularisation (normalised by levels, <= 0)."""
import torch
import torch.nn.functional as F


def adversarial_loss(logits, mode, target_real, for_generator):
    if mode == "bce":
        real = for_generator or target_real
        return F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits) if real else torch.zeros_like(logits))
    if for_generator:
        return -logits.mean()
    return torch.relu(1.0 - logits).mean() if target_real else torch.relu(1.0 + logits).mean()


def branch_weights(blocks_d):
    return 0.5 / blocks_d, 0.5 / blocks_d, 1.0 / blocks_d


def branch_losses(low, content, layout, weights, mode, target_real, for_generator):
    def total(outs):
        t = adversarial_loss(outs[0], mode, target_real, for_generator)
        for o in outs[1:]:
            t = t + adversarial_loss(o, mode, target_real, for_generator)
        return t
    w_content, w_layout, w_low = weights
    return {"content": w_content * total(content), "layout": w_layout * total(layout), "low_level": w_low * total(low)}


def diversity_regularization(features):
    levels = len(features)
    total = None
    for f in features:
        n = f.shape[0]
        idx = torch.triu_indices(n, n, 1)
        level = (f.index_select(0, idx[0]) - f.index_select(0, idx[1])).abs().flatten(1).mean(1).sum()
        total = level if total is None else total + level
    return total * (-2.0 / (levels * (levels - 1)))


def nearest_in_pool(real, pool):
    """For each real image, the index of the nearest pool image after 2x2 average pooling (squared L2, written as
    in C++: |a|^2 - 2 a.b + |b|^2), the first of equals."""
    with torch.no_grad():
        a, b = F.avg_pool2d(real, 2).flatten(1), F.avg_pool2d(pool, 2).flatten(1)
        distances = a.pow(2).sum(1, keepdim=True) - 2 * a.matmul(b.t()) + b.pow(2).sum(1).unsqueeze(0)
        return distances.argmin(1)


def coverage_loss(chosen, real):
    """IMLE's term: the mean absolute difference between each real image and the fake chosen for it."""
    return (chosen - real).abs().mean()
