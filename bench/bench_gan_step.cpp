// Times one One-Shot GAN train step (G step + D step + EMA) and EMA generation, for the paper config
// (128x128, ch 32, batch 4), the small config (64x64, ch 16, batch 8), the cpu preset's model (32x32, ch 32,
// batch 5, DA off) or that model at 64x64 (cpu64: the published 64 px design, bench/learning_curve/64px_ch32_noda.yaml).
// The PyTorch mirror bench_gan_step.py prints the same impl= line, so run_gan_step_bench.sh can compare them.
// It also prints the convolution GFLOP of a step (counted on the untimed warm-up steps, conv_flop_counter.h) and
// the GFLOP/s they run at within the step, beside a single-precision GEMM timed in the same process before and
// after the steps (same thread count). Usage:
//   bench_gan_step --config paper|small|cpu|cpu64 [--steps 10] [--warmup 2] [--threads 2] [--device cpu|cuda]
//                  [--gemm-size 1024 (0: no GEMM)] [--gemm-reps 10]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "conv_flop_counter.h"
#include "osgan/core/error.h"
#include "osgan/runtime/device.h"
#include "osgan/train/one_shot_gan.h"
#include "osgan/train/presets.h"

namespace {
using osgan::bench::ConvFlopCounter;
using osgan::bench::ConvFlops;

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
void sync(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The counter against hand-counted flops of one conv2d and one conv_transpose2d, forward and both gradients, so a
// LibTorch whose ops it does not see (or names differently) fails here instead of printing 0 GFLOP.
void check_conv_flop_counter() {
  // conv2d: x (2, 3, 8, 8), w (4, 3, 3, 3), stride 2, pad 1 -> (2, 4, 4, 4); 2 * 128 outputs * 27 = 6912 per pass.
  // conv_transpose2d: y (2, 4, 4, 4), w (4, 5, 2, 2), stride 2 -> (2, 5, 8, 8); 2 * 128 inputs * 20 = 5120 per pass.
  auto x = torch::randn({2, 3, 8, 8}, torch::requires_grad());
  auto w = torch::randn({4, 3, 3, 3}, torch::requires_grad());
  auto wt = torch::randn({4, 5, 2, 2}, torch::requires_grad());
  ConvFlopCounter counter;
  auto y = torch::conv2d(x, w, {}, /*stride=*/2, /*padding=*/1);
  auto z = torch::conv_transpose2d(y, wt, {}, /*stride=*/2);
  z.sum().backward();
  const ConvFlops f = counter.flops();
  const std::int64_t fwd = 6912 + 5120, bwd_input = 6912 + 5120, bwd_weight = 6912 + 5120;
  if (f.forward != fwd || f.backward_input != bwd_input || f.backward_weight != bwd_weight)
    osgan::fail(osgan::ErrorCode::numerical,
                "conv flop counter: expected forward / backward-input / backward-weight " + std::to_string(fwd) + " / " +
                    std::to_string(bwd_input) + " / " + std::to_string(bwd_weight) + " flops, counted " +
                    std::to_string(f.forward) + " / " + std::to_string(f.backward_input) + " / " +
                    std::to_string(f.backward_weight) + ". Hint: does this LibTorch route convolutions through "
                    "aten::convolution and aten::convolution_backward?");
}

// Single-precision GEMM rate: C (n, n) = A (n, n) B (n, n), 2 n^3 flops, median of reps after one untimed call.
double gemm_gflop_per_s(int n, int reps, const torch::Device& device) {
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  auto a = torch::randn({n, n}, opts), b = torch::randn({n, n}, opts), c = torch::empty({n, n}, opts);
  torch::mm_out(c, a, b);
  sync(device);
  std::vector<double> times;
  for (int i = 0; i < reps; ++i) {
    const double t0 = now_s();
    torch::mm_out(c, a, b);
    sync(device);
    times.push_back(now_s() - t0);
  }
  return 2.0 * n * n * n / median(times) / 1e9;
}
}  // namespace

int main(int argc, char** argv) {
  std::string config_name = "small", device_name = "cpu";
  int steps = 10, warmup = 2, threads = 2, gemm_size = 1024, gemm_reps = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--config") config_name = value;
    else if (flag == "--steps") steps = std::stoi(value);
    else if (flag == "--warmup") warmup = std::stoi(value);
    else if (flag == "--threads") threads = std::stoi(value);
    else if (flag == "--device") device_name = value;
    else if (flag == "--gemm-size") gemm_size = std::stoi(value);
    else if (flag == "--gemm-reps") gemm_reps = std::stoi(value);
    else { std::fprintf(stderr, "bench_gan_step: unknown flag %s\n", flag.c_str()); return 2; }
  }
  if (steps < 1 || warmup < 1 || gemm_size < 0 || gemm_reps < 1) {
    std::fprintf(stderr, "bench_gan_step: expected --steps >= 1, --warmup >= 1 (the conv flops are counted there), "
                 "--gemm-size >= 0 and --gemm-reps >= 1\n");
    return 2;
  }
  osgan::GanConfig config;
  int batch = 4;
  if (config_name == "paper") {
    config.image_size = 128; config.channels_g = 32; config.channels_d = 32; batch = 4;
  } else if (config_name == "small") {
    config.image_size = 64; config.channels_g = 16; config.channels_d = 16; batch = 8;
  } else if (config_name == "cpu" || config_name == "cpu64") {
    const auto preset = osgan::preset_options("cpu");
    config = preset.gan;
    batch = preset.batch_size;
    if (config_name == "cpu64") {  // the published 64 px design: block counts recommended for the size
      config.image_size = 64; config.blocks_g = config.blocks_d = config.blocks_d_low = 0;
    }
  } else {
    std::fprintf(stderr, "bench_gan_step: --config must be paper, small, cpu or cpu64\n");
    return 2;
  }
  try {
    const auto device = osgan::parse_device(device_name);
    osgan::set_thread_count(threads);
    torch::manual_seed(0);
    check_conv_flop_counter();  // on CPU tensors, whatever the device
    osgan::OneShotGan gan(config, device);
    const auto real = (torch::rand({batch, 1, config.image_size, config.image_size}) * 2 - 1).to(device);
    // GEMM, steps, GEMM: interleaved so that a change in the machine's load shows as two different GEMM readings.
    const double gemm_before = gemm_size > 0 ? gemm_gflop_per_s(gemm_size, gemm_reps, device) : 0;
    // Warm-up steps are untimed; their convolutions are counted (every step runs the same shapes: check it).
    ConvFlops flops;
    for (int i = 0; i < warmup; ++i) {
      ConvFlopCounter counter;
      gan.train_step(real);
      sync(device);
      const ConvFlops f = counter.flops();
      if (i > 0 && f.total() != flops.total())
        osgan::fail(osgan::ErrorCode::numerical, "bench_gan_step: warm-up steps counted different conv flops (" +
                    std::to_string(flops.total()) + " then " + std::to_string(f.total()) + ")");
      flops = f;
    }
    std::vector<double> times;
    for (int i = 0; i < steps; ++i) {
      sync(device);
      const double t0 = now_s();
      gan.train_step(real);
      sync(device);
      times.push_back(now_s() - t0);
    }
    std::sort(times.begin(), times.end());
    const double gemm_after = gemm_size > 0 ? gemm_gflop_per_s(gemm_size, gemm_reps, device) : 0;
    // Generation throughput with the EMA generator, batches of 16.
    const int gen_batches = 3, gen_batch = 16;
    gan.generate(gan.sample_noise(gen_batch));
    sync(device);
    const double g0 = now_s();
    for (int i = 0; i < gen_batches; ++i) gan.generate(gan.sample_noise(gen_batch));
    sync(device);
    const double images_per_s = gen_batches * gen_batch / (now_s() - g0);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double min_s = times.front(), median_s = times[times.size() / 2];
    std::printf("impl=cpp config=%s threads=%d batch=%d steps=%d min_s=%.4f median_s=%.4f gen_img_per_s=%.1f "
                "peak_rss_mb=%.0f params=%lld\n",
                config_name.c_str(), threads, batch, steps, min_s, median_s, images_per_s,
                usage.ru_maxrss / 1024.0, static_cast<long long>(gan.parameter_count()));
    // Convolution flops over the whole step time: the step also runs other ops (activations, pooling, spectral
    // norm, losses, Adam, EMA), so the convolutions themselves run at least this fast. conv_over_gemm: that rate
    // (median step) over the mean of the two GEMM readings.
    const double conv_gflop = flops.total() / 1e9;
    const double gemm_mean = (gemm_before + gemm_after) / 2;
    std::printf("conv config=%s image_size=%d threads=%d batch=%d conv_gflop_per_step=%.2f fwd=%.2f bwd_input=%.2f "
                "bwd_weight=%.2f conv_calls=%lld+%lld conv_gflop_per_s_median=%.1f conv_gflop_per_s_best=%.1f "
                "gemm_n=%d gemm_gflop_per_s_before=%.1f gemm_gflop_per_s_after=%.1f conv_over_gemm=%.2f\n",
                config_name.c_str(), config.image_size, threads, batch, conv_gflop, flops.forward / 1e9,
                flops.backward_input / 1e9, flops.backward_weight / 1e9,
                static_cast<long long>(flops.forward_calls), static_cast<long long>(flops.backward_calls),
                conv_gflop / median_s, conv_gflop / min_s, gemm_size, gemm_before, gemm_after,
                gemm_mean > 0 ? conv_gflop / median_s / gemm_mean : 0.0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gan_step: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
