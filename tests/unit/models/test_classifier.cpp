// Classifier architectures: output shapes at several sizes, the factory, the head, and a TorchScript backbone
// made during the test by /usr/bin/python3.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "osgan/core/error.h"
#include "osgan/models/classifiers/classifier.h"
#include "osgan/models/classifiers/resnet_v2.h"
#include "support/test_support.h"

using osgan::models::Classifier;
using osgan::models::ClassifierConfig;

namespace {
ClassifierConfig tiny(const std::string& arch, int size = 32) {
  ClassifierConfig c;
  c.arch = arch;
  c.width = 0.125;
  c.image_size = size;
  c.head_units = 16;
  return c;
}

// Writes a tiny scripted module (conv -> BN -> ReLU, 4 channels); returns false when python3/torch is missing.
// The script goes to a file: torch.jit.script needs the class's source, which `python3 -c` does not keep.
bool make_torchscript_backbone(const std::filesystem::path& path) {
  const auto script = path.parent_path() / "make_backbone.py";
  std::ofstream(script) << "import sys, torch\n"
                           "class B(torch.nn.Module):\n"
                           "    def __init__(self):\n"
                           "        super().__init__()\n"
                           "        self.conv = torch.nn.Conv2d(1, 4, 3, stride=2, padding=1)\n"
                           "        self.bn = torch.nn.BatchNorm2d(4)\n"
                           "    def forward(self, x):\n"
                           "        return torch.relu(self.bn(self.conv(x)))\n"
                           "torch.manual_seed(0)\n"
                           "torch.jit.script(B()).save(sys.argv[1])\n";
  const std::string cmd = "/usr/bin/python3 '" + script.string() + "' '" + path.string() + "'";
  return std::system(cmd.c_str()) == 0 && std::filesystem::exists(path);
}
}  // namespace

TEST(Classifier, EveryArchitectureGivesOneLogitPerImage) {
  torch::manual_seed(0);
  for (const std::string arch : {"resnet18", "resnet34", "resnet50", "mobilenet_v2", "cnn"}) {
    for (int size : {32, 48}) {
      Classifier model(tiny(arch, size));
      model->eval();
      auto out = model->forward(torch::randn({3, 1, size, size}));
      ASSERT_EQ(out.dim(), 1) << arch;
      EXPECT_EQ(out.size(0), 3) << arch << " " << size;
      EXPECT_TRUE(torch::isfinite(out).all().item<bool>()) << arch;
      auto f = model->features(torch::randn({2, 1, size, size}));
      EXPECT_EQ(f.size(0), 2);
      EXPECT_EQ(f.size(1), model->feature_dim()) << arch;
    }
  }
}

TEST(Classifier, DeepResNetsBuildAndRun) {
  for (const std::string arch : {"resnet101", "resnet152"}) {
    auto c = tiny(arch);
    c.width = 0.0625;
    Classifier model(c);
    model->eval();
    EXPECT_EQ(model->forward(torch::randn({2, 1, 32, 32})).size(0), 2) << arch;
  }
  EXPECT_EQ(osgan::models::resnet_v2_stage_blocks(152), (std::vector<int>{3, 8, 36, 3}));
}

TEST(Classifier, WidthScalesChannelsAndFlattenHeadDependsOnSize) {
  auto c = tiny("resnet18", 64);
  c.width = 0.25;
  Classifier model(c);
  EXPECT_EQ(model->feature_dim(), 128);  // 512 * 0.25
  // Flatten head: 64 / 32 = 2 -> 128 * 2 * 2 inputs to dense 16.
  EXPECT_EQ(model->fc1->weight.size(1), 128 * 4);
  c.head_pool = "avg";
  Classifier pooled(c);
  EXPECT_EQ(pooled->fc1->weight.size(1), 128);
  c.arch = "resnet50";
  EXPECT_EQ(Classifier(c)->feature_dim(), 512);  // bottleneck: 4 * 128
}

TEST(Classifier, RejectsUnknownArchAndWrongInput) {
  try {
    Classifier model(tiny("resnet19"));
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("mobilenet_v2"), std::string::npos) << "should list the names: " << e.what();
  }
  Classifier model(tiny("cnn"));
  EXPECT_THROW(model->forward(torch::zeros({2, 3, 32, 32})), c10::Error);
  EXPECT_THROW(model->forward(torch::zeros({2, 1, 48, 48})), c10::Error);
  auto c = tiny("torchscript");
  EXPECT_THROW(Classifier{c}, osgan::Error);  // no file
  c.backbone_file = "/nonexistent/backbone.pt";
  EXPECT_THROW(Classifier{c}, osgan::Error);
}

TEST(Classifier, TorchScriptBackboneFrozenOrFineTuned) {
  osgan::test::ScratchDir dir("ts_backbone");
  const auto path = dir / "backbone.pt";
  if (!make_torchscript_backbone(path)) GTEST_SKIP() << "/usr/bin/python3 with torch is not available";
  auto c = tiny("torchscript");
  c.backbone_file = path.string();
  c.freeze_backbone = true;
  Classifier frozen(c);
  EXPECT_EQ(frozen->feature_dim(), 4);
  // Flatten head: stride 2 -> 4 * 16 * 16 inputs.
  EXPECT_EQ(frozen->fc1->weight.size(1), 4 * 16 * 16);
  const auto trainable = osgan::models::trainable_parameters(frozen);
  EXPECT_EQ(trainable.size(), 4u);  // fc1, fc2 weights and biases only

  auto before = frozen->backbone->named_parameters()["conv_weight"].clone();
  auto head_before = frozen->fc1->weight.clone();
  torch::optim::SGD sgd(trainable, torch::optim::SGDOptions(0.1));
  frozen->train();
  auto loss = frozen->forward(torch::randn({4, 1, 32, 32})).pow(2).mean();
  loss.backward();
  sgd.step();
  EXPECT_TRUE(torch::equal(before, frozen->backbone->named_parameters()["conv_weight"]));
  EXPECT_FALSE(torch::equal(head_before, frozen->fc1->weight));

  c.freeze_backbone = false;
  Classifier tuned(c);
  EXPECT_EQ(osgan::models::trainable_parameters(tuned).size(), 8u);  // + conv w/b, bn w/b
  auto w0 = tuned->backbone->named_parameters()["conv_weight"].clone();
  torch::optim::SGD sgd2(osgan::models::trainable_parameters(tuned), torch::optim::SGDOptions(0.1));
  tuned->train();
  tuned->forward(torch::randn({4, 1, 32, 32})).pow(2).mean().backward();
  sgd2.step();
  EXPECT_FALSE(torch::equal(w0, tuned->backbone->named_parameters()["conv_weight"]));
}

TEST(Classifier, RunInBatchesMatchesOneBatchAndHandlesNoImages) {
  torch::manual_seed(0);
  Classifier model(tiny("cnn", 16));
  const auto images = torch::rand({5, 1, 16, 16}) * 2 - 1;  // (5, 1, 16, 16)
  const auto features = [&](const torch::Tensor& b) { return model->features(b); };
  const auto empty = torch::empty({0, model->feature_dim()}, torch::kFloat64);
  const auto whole = osgan::models::run_in_batches(model, images, torch::kCPU, 64, features, empty);  // (5, C)
  const auto pieces = osgan::models::run_in_batches(model, images, torch::kCPU, 2, features, empty);  // 2 + 2 + 1
  ASSERT_EQ(whole.sizes(), (std::vector<int64_t>{5, model->feature_dim()}));
  EXPECT_EQ(whole.scalar_type(), torch::kFloat64);
  EXPECT_FALSE(model->is_training());  // eval mode: dropout and batch statistics off, so batching cannot matter
  EXPECT_TRUE(torch::allclose(whole, pieces, 1e-6, 1e-6));
  const auto none = osgan::models::run_in_batches(model, images.slice(0, 0, 0), torch::kCPU, 2, features, empty);
  EXPECT_EQ(none.sizes(), (std::vector<int64_t>{0, model->feature_dim()}));
  EXPECT_THROW(osgan::models::run_in_batches(model, images, torch::kCPU, 0, features, empty), c10::Error);
}
