// Precompiled header for every translation unit that uses LibTorch (see CMakeLists.txt).
#pragma once
#include <torch/torch.h>
