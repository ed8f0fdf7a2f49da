#include "osgan/runtime/device.h"

#include <thread>

#include "osgan/core/error.h"

namespace osgan {

torch::Device parse_device(const std::string& spec) {
  if (spec == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  if (spec == "cpu") return torch::Device(torch::kCPU);
  if (spec == "cuda" || spec.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available())
      fail(ErrorCode::unsupported, "--device " + spec + ": this osgan build or machine has no CUDA device. "
           "Hint: use --device cpu, or build osgan against a CUDA LibTorch (see README).");
    int index = 0;
    if (spec.size() > 5) {
      try { index = std::stoi(spec.substr(5)); } catch (...) { index = -1; }
    }
    if (index < 0 || index >= static_cast<int>(torch::cuda::device_count()))
      fail(ErrorCode::invalid_argument, "--device " + spec + ": expected cuda:N with N below " +
           std::to_string(torch::cuda::device_count()));
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  fail(ErrorCode::invalid_argument, "--device: expected auto, cpu, cuda or cuda:N, got \"" + spec + "\"");
}

int set_thread_count(int threads) {
  if (threads < 0) fail(ErrorCode::invalid_argument, "--threads: expected 0 (all cores) or more, got " + std::to_string(threads));
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  torch::set_num_threads(threads);
  return threads;
}

void seed_everything(std::uint64_t seed) {
  torch::manual_seed(seed);
  if (torch::cuda::is_available()) torch::cuda::manual_seed_all(seed);
}

}  // namespace osgan
