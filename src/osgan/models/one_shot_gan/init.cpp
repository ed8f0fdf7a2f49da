#include "osgan/models/one_shot_gan/init.h"

#include "osgan/core/error.h"
#include "osgan/models/one_shot_gan/sn_conv2d.h"

namespace osgan::one_shot {

WeightInit parse_weight_init(const std::string& name) {
  if (name == "as-run") return WeightInit::as_run;
  if (name == "normal-0.02") return WeightInit::normal_002;
  fail(ErrorCode::invalid_argument, "init: expected as-run or normal-0.02, got \"" + name + "\"");
}

void initialize_weights(torch::nn::Module& module, WeightInit init) {
  if (init == WeightInit::as_run) return;  // SNConv2d starts from PyTorch's default
  torch::NoGradGuard no_grad;
  for (auto& child : module.modules(/*include_self=*/true))
    if (auto* conv = dynamic_cast<SNConv2dImpl*>(child.get())) conv->weight_orig.normal_(0.0, 0.02);
}

}  // namespace osgan::one_shot
