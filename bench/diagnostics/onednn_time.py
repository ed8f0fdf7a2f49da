"""Diagnostic (not a test): where oneDNN's time goes in a short osgan training, from its verbose log.
Sums the execution times that oneDNN prints per primitive (convolution forward / backward data / backward
weights, reorders) and, per convolution shape, the achieved GFLOP/s (2 * N * Cin * Cout * Hout * Wout * Kh * Kw
per call). Any python3 runs it. Example (64 px, ch 32, batch 5, one thread; the last grid's forward is included):
  OMP_WAIT_POLICY=PASSIVE DNNL_VERBOSE=1 build/bin/osgan train-gan --data DATA --class tumor --split SPLIT \
    --out /tmp/onednn_run --config bench/learning_curve/64px_ch32_noda.yaml --steps 6 --threads 1 \
    --quality-every 0 > /tmp/onednn.log
  python3 bench/diagnostics/onednn_time.py /tmp/onednn.log 6
"""
import collections
import re
import sys

log_path = sys.argv[1]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1
shape_pattern = re.compile(r'mb(\d+)_(?:g\d+)?ic(\d+)oc(\d+)_ih\d+oh(\d+)kh(\d+).*?iw\d+ow(\d+)kw(\d+)')

by_kind = collections.Counter()
calls = collections.Counter()
by_shape = collections.Counter()
shape_calls = collections.Counter()
flops = {}
for line in open(log_path, errors='replace'):
    if not (line.startswith('onednn_verbose,exec') or line.startswith('dnnl_verbose,exec')):
        continue
    fields = line.strip().split(',')
    primitive, implementation, direction = fields[3], fields[4], fields[5]
    ms = float(fields[-1])
    by_kind[(primitive, direction)] += ms
    calls[(primitive, direction)] += 1
    if primitive == 'convolution':
        key = (direction, fields[-2])
        by_shape[key] += ms
        shape_calls[key] += 1
        m = shape_pattern.match(fields[-2])
        if m:
            n, cin, cout, hout, kh, wout, kw = map(int, m.groups())
            flops[key] = 2 * n * cin * cout * hout * wout * kh * kw

total = sum(by_kind.values())
if total == 0:
    sys.exit(f'{log_path}: no oneDNN verbose lines; run osgan with DNNL_VERBOSE=1')
print(f'oneDNN time: {total / 1000:.2f} s in all, {total / 1000 / steps:.2f} s per step over {steps} step(s)')
print('| primitive | direction | calls | ms | share |')
print('|---|---|---|---|---|')
for (primitive, direction), ms in by_kind.most_common():
    print(f'| {primitive} | {direction} | {calls[(primitive, direction)]} | {ms:.0f} | {100 * ms / total:.1f}% |')
print('\nlargest convolutions (GFLOP/s achieved):')
for key, ms in by_shape.most_common(10):
    rate = flops.get(key, 0) * shape_calls[key] / (ms / 1000) / 1e9
    print(f'  {ms:7.0f} ms  {rate:5.1f} GFLOP/s  {key[0]:<17} {key[1]}')
conv_flops = sum(flops.get(k, 0) * shape_calls[k] for k in by_shape)
conv_ms = sum(by_shape.values())
print(f'all convolutions: {conv_flops / 1e9:.1f} GFLOP in {conv_ms / 1000:.2f} s = {conv_flops / (conv_ms / 1000) / 1e9:.1f} GFLOP/s')
