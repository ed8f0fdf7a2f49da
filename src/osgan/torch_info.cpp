#include "osgan/torch_info.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

namespace osgan {

std::string libtorch_version() { return TORCH_VERSION; }

int cuda_device_count() { return torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0; }

std::string blas_info() { return at::get_parallel_info(); }

}  // namespace osgan
