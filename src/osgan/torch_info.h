// Facts about the LibTorch build and the devices it sees, for `osgan info` and run records.
#pragma once
#include <string>

namespace osgan {

std::string libtorch_version();
int cuda_device_count();
std::string blas_info();  // LibTorch's parallel/BLAS configuration summary

}  // namespace osgan
