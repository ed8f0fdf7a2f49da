// Choosing the compute device and thread count once, at the start of a command.
#pragma once
#include <string>

#include <torch/types.h>

namespace osgan {

// "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N". Throws osgan::Error for anything else,
// or for "cuda" on a build or machine without CUDA.
torch::Device parse_device(const std::string& spec);

// Sets LibTorch's intra-op threads; 0 means all cores. Returns the count in effect.
int set_thread_count(int threads);

// Seeds LibTorch's CPU and CUDA generators.
void seed_everything(std::uint64_t seed);

}  // namespace osgan
