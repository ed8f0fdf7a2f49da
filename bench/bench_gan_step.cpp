// Times one One-Shot GAN train step (G step + D step + EMA) and EMA generation, for the paper config
// (128x128, ch 32, batch 4) or the small config (64x64, ch 16, batch 8). The PyTorch mirror bench_gan_step.py
// prints the same line, so run_gan_step_bench.sh can compare them. Usage:
//   bench_gan_step --config paper|small [--steps 10] [--warmup 2] [--threads 2] [--device cpu|cuda]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "osgan/train/one_shot_gan.h"
#include "osgan/runtime/device.h"

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
void sync(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}
}  // namespace

int main(int argc, char** argv) {
  std::string config_name = "small", device_name = "cpu";
  int steps = 10, warmup = 2, threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--config") config_name = value;
    else if (flag == "--steps") steps = std::stoi(value);
    else if (flag == "--warmup") warmup = std::stoi(value);
    else if (flag == "--threads") threads = std::stoi(value);
    else if (flag == "--device") device_name = value;
    else { std::fprintf(stderr, "bench_gan_step: unknown flag %s\n", flag.c_str()); return 2; }
  }
  osgan::GanConfig config;
  int batch = 4;
  if (config_name == "paper") {
    config.image_size = 128; config.channels_g = 32; config.channels_d = 32; batch = 4;
  } else if (config_name == "small") {
    config.image_size = 64; config.channels_g = 16; config.channels_d = 16; batch = 8;
  } else {
    std::fprintf(stderr, "bench_gan_step: --config must be paper or small\n");
    return 2;
  }
  try {
    const auto device = osgan::parse_device(device_name);
    osgan::set_thread_count(threads);
    torch::manual_seed(0);
    osgan::OneShotGan gan(config, device);
    const auto real = (torch::rand({batch, 1, config.image_size, config.image_size}) * 2 - 1).to(device);
    std::vector<double> times;
    for (int i = 0; i < warmup + steps; ++i) {
      sync(device);
      const double t0 = now_s();
      gan.train_step(real);
      sync(device);
      if (i >= warmup) times.push_back(now_s() - t0);
    }
    std::sort(times.begin(), times.end());
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
    std::printf("impl=cpp config=%s threads=%d batch=%d steps=%d min_s=%.4f median_s=%.4f gen_img_per_s=%.1f "
                "peak_rss_mb=%.0f params=%lld\n",
                config_name.c_str(), threads, batch, steps, times.front(), times[times.size() / 2], images_per_s,
                usage.ru_maxrss / 1024.0, static_cast<long long>(gan.parameter_count()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gan_step: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
