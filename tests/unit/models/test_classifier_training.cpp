// Classifier training end to end on an easy synthetic problem (bright disc vs none), save/load round trip,
// determinism for a seed, augmentation, and the held-out split used for early stopping.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "osgan/core/error.h"
#include "osgan/models/classifiers/head_normalisation.h"
#include "osgan/train/classifier_augment.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/classifier_presets.h"
#include "osgan/train/classifier_trainer.h"
#include "support/test_support.h"

using namespace osgan;

namespace {
constexpr int kSize = 32;

// n images per class: a bright disc at a random place (label 1) or only noise (label 0). (2n, 1, 32, 32).
LabelledImages disc_problem(int n, int64_t seed) {
  torch::manual_seed(seed);
  auto ys = torch::arange(kSize, torch::kFloat32).view({kSize, 1}).expand({kSize, kSize});
  auto xs = torch::arange(kSize, torch::kFloat32).view({1, kSize}).expand({kSize, kSize});
  std::vector<torch::Tensor> images;
  std::vector<float> labels;
  for (int i = 0; i < 2 * n; ++i) {
    auto img = torch::rand({kSize, kSize}) * 0.4 - 0.9;  // dark noisy background
    if (i % 2 == 1) {
      const double cy = 8 + 16 * torch::rand({1}).item<double>(), cx = 8 + 16 * torch::rand({1}).item<double>();
      auto disc = ((ys - cy).pow(2) + (xs - cx).pow(2)) < 25;
      img = torch::where(disc, torch::full_like(img, 0.8), img);
    }
    images.push_back(img.unsqueeze(0));
    labels.push_back(static_cast<float>(i % 2));
    (void)0;
  }
  LabelledImages set;
  set.images = torch::stack(images);  // (2n, 1, 32, 32)
  set.labels = torch::tensor(labels);
  for (int i = 0; i < 2 * n; ++i) {
    set.ids.push_back("img" + std::to_string(i));
    set.sources.push_back("synthetic");
  }
  return set;
}

ClassifierTrainOptions quick_options(const std::string& arch = "cnn") {
  ClassifierTrainOptions o;
  o.model.arch = arch;
  o.model.width = 0.25;
  o.model.image_size = kSize;
  o.model.head_units = 32;
  o.model.dropout = 0.2;
  o.epochs = 6;
  o.batch_size = 8;
  o.lr = 3e-3;
  o.augment.prob = 0.3;
  o.seed = 3;
  return o;
}

double accuracy(const torch::Tensor& p, const torch::Tensor& labels) {
  return ((p >= 0.5).to(torch::kFloat64) == labels.to(torch::kFloat64)).to(torch::kFloat64).mean().item<double>();
}
}  // namespace

TEST(ClassifierTraining, LearnsAnEasyProblemAndIsDeterministic) {
  torch::set_num_threads(1);
  auto train = disc_problem(20, 1), test = disc_problem(10, 2);
  auto a = train_classifier(quick_options(), train);
  auto p = predict_probabilities(a.model, test.images, torch::kCPU);
  EXPECT_GE(accuracy(p, test.labels), 0.9) << "probabilities: " << p;
  EXPECT_EQ(a.history.size(), 6u);
  EXPECT_LT(a.history.back().train_loss, a.history.front().train_loss);
  // Same seed, same weights, same predictions.
  auto b = train_classifier(quick_options(), train);
  EXPECT_TRUE(torch::equal(p, predict_probabilities(b.model, test.images, torch::kCPU)));
}

TEST(ClassifierTraining, SaveLoadRoundTripGivesIdenticalPredictions) {
  torch::set_num_threads(1);
  osgan::test::ScratchDir dir("classifier_io");
  auto train = disc_problem(8, 3);
  auto o = quick_options("resnet18");
  o.epochs = 1;
  auto result = train_classifier(o, train);
  SavedClassifier saved;
  saved.model = result.model;
  saved.config = o.model;
  saved.preprocess.size = kSize;
  save_classifier(dir / "model", saved);
  auto loaded = load_classifier(dir / "model", torch::kCPU);
  EXPECT_EQ(loaded.config.arch, "resnet18");
  EXPECT_EQ(loaded.positive_class, "tumor");
  EXPECT_EQ(loaded.preprocess.size, kSize);
  auto p0 = predict_probabilities(result.model, train.images, torch::kCPU);
  auto p1 = predict_probabilities(loaded.model, train.images, torch::kCPU);
  EXPECT_TRUE(torch::equal(p0, p1));
}

TEST(ClassifierTraining, LoadRejectsMissingAndForeignFolders) {
  osgan::test::ScratchDir dir("classifier_bad");
  EXPECT_THROW(load_classifier(dir.path(), torch::kCPU), osgan::Error);
  std::filesystem::create_directories(dir / "m");
  std::ofstream(dir / "m" / "classifier.json") << R"({"format": "something-else", "version": 1})";
  try {
    load_classifier(dir / "m", torch::kCPU);
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("classifier.json"), std::string::npos) << e.what();
  }
}

// classifier.json and model.pt come from outside: a config that would build an absurd model, a backbone path
// that leaves the folder, and a damaged weight are each one line naming the file, before anything is built.
TEST(ClassifierTraining, LoadRejectsDamagedOrHostileFolders) {
  osgan::test::ScratchDir dir("classifier_hostile");
  SavedClassifier saved;
  saved.config.arch = "cnn";
  saved.config.width = 0.25;
  saved.config.image_size = kSize;
  saved.preprocess.size = kSize;
  saved.model = models::Classifier(saved.config);
  save_classifier(dir / "good", saved);
  ASSERT_NO_THROW(load_classifier(dir / "good", torch::kCPU));

  const auto expect_refusal = [&](const std::string& name, const std::string& file, const std::string& words) {
    try {
      load_classifier(dir / name, torch::kCPU);
      ADD_FAILURE() << name << ": expected an error";
    } catch (const osgan::Error& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find((dir / name / file).string()), std::string::npos) << msg;
      EXPECT_NE(msg.find(words), std::string::npos) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  };
  const auto variant = [&](const std::string& name, const std::string& from, const std::string& to) {
    std::filesystem::copy(dir / "good", dir / name);
    std::ifstream in(dir / "good" / "classifier.json");
    std::string json((std::istreambuf_iterator<char>(in)), {});
    const auto at = json.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    json.replace(at, from.size(), to);
    std::ofstream(dir / name / "classifier.json") << json;
  };
  variant("wide", "\"width\": 0.25", "\"width\": 100000.0");
  expect_refusal("wide", "classifier.json", "expected a width in (0, 8]");
  variant("huge", "\"image_size\": " + std::to_string(kSize), "\"image_size\": 1000000");
  expect_refusal("huge", "classifier.json", "image size");
  variant("escape", "\"arch\": \"cnn\"", "\"arch\": \"torchscript\", \"backbone_file\": \"../../etc/model.pt\"");
  expect_refusal("escape", "classifier.json", "must be a file name inside the folder");

  // One flipped bit in the middle of the weights: LibTorch would load it silently; the CRC check does not.
  std::filesystem::copy(dir / "good", dir / "damaged");
  std::fstream weights(dir / "damaged" / "model.pt", std::ios::in | std::ios::out | std::ios::binary);
  weights.seekg(0, std::ios::end);
  const auto middle = static_cast<std::streamoff>(weights.tellg()) / 2;
  char byte = 0;
  weights.seekg(middle);
  weights.get(byte);
  weights.seekp(middle);
  weights.put(static_cast<char>(byte ^ 0x10));
  weights.close();
  expect_refusal("damaged", "model.pt", "CRC-32");
}

TEST(ClassifierTraining, EarlyStoppingUsesOnlyTheTrainingImages) {
  torch::set_num_threads(1);
  auto train = disc_problem(10, 4);
  auto o = quick_options();
  o.epochs = 3;
  o.early_stopping_fraction = 0.2;
  auto r = train_classifier(o, train);
  EXPECT_EQ(r.holdout_count, 4);  // 20% of 10 per class
  EXPECT_EQ(r.train_count, 16);
  EXPECT_GE(r.best_epoch, 1);
  EXPECT_FALSE(std::isnan(r.history.front().holdout_loss));
}

TEST(ClassifierTraining, RejectsOneClassTrainingSetsAndBadOptions) {
  auto train = disc_problem(4, 5);
  auto only_discs = subset(train, {1, 3, 5, 7});
  EXPECT_THROW(train_classifier(quick_options(), only_discs), osgan::Error);
  auto o = quick_options();
  o.optimizer = "rmsprop";
  EXPECT_THROW(train_classifier(o, train), osgan::Error);
  o = quick_options();
  o.model.image_size = 64;
  EXPECT_THROW(train_classifier(o, train), osgan::Error);
}

TEST(ClassifierTraining, TorchScriptBackboneTrainsSavesAndLoads) {
  osgan::test::ScratchDir dir("classifier_ts");
  const auto script = dir / "b.pt";
  const std::string cmd = "/usr/bin/python3 -c \"import torch\n"
                          "m = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU())\n"
                          "torch.jit.script(m).save('" + script.string() + "')\" > /dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "/usr/bin/python3 with torch is not available";
  torch::set_num_threads(1);
  auto train = disc_problem(6, 6);
  auto o = quick_options("torchscript");
  o.model.backbone_file = script.string();
  o.model.head_pool = "avg";
  o.epochs = 1;
  auto r = train_classifier(o, train);
  SavedClassifier saved;
  saved.model = r.model;
  saved.config = o.model;
  saved.preprocess.size = kSize;
  save_classifier(dir / "model", saved);
  std::filesystem::remove(script);  // the folder must be self-contained
  auto loaded = load_classifier(dir / "model", torch::kCPU);
  EXPECT_TRUE(torch::equal(predict_probabilities(r.model, train.images, torch::kCPU),
                           predict_probabilities(loaded.model, train.images, torch::kCPU)));
}

TEST(ClassifierAugment, KeepsShapeAndRangeAndIsOffAtProbabilityZero) {
  torch::manual_seed(0);
  auto x = torch::rand({6, 1, 32, 32}) * 2 - 1;
  ClassifierAugmentOptions o;
  o.prob = 0;
  EXPECT_TRUE(torch::equal(rand_classifier_augment(x, o), x));
  o.prob = 1;
  auto y = rand_classifier_augment(x, o);
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_LE(y.max().item<float>(), 1.f);
  EXPECT_GE(y.min().item<float>(), -1.f);
  EXPECT_FALSE(torch::allclose(y, x));
  // Every transform disabled except flips: each output is a flip of its input.
  o.max_rotation_deg = o.max_translate = o.max_scale = o.max_intensity = 0;
  auto f = rand_classifier_augment(x, o);
  for (int i = 0; i < 6; ++i) {
    auto xi = x[i];
    const bool ok = torch::equal(f[i], xi.flip({2}).flip({1})) ;
    EXPECT_TRUE(ok) << "prob 1 flips both axes";
  }
}

TEST(ClassifierAugment, StyleAugmentationWorksWithoutClassicalAndChangesTheLookNotTheRange) {
  torch::manual_seed(0);
  auto x = torch::rand({8, 1, 32, 32}) * 2 - 1;
  ClassifierAugmentOptions o = classifier_preset("cpu").augment;
  o.prob = 0;  // the study's protocols without classical augmentation keep the style augmentation
  ASSERT_TRUE(o.has_style());
  o.style_prob = 0;
  EXPECT_TRUE(torch::equal(rand_classifier_augment(x, o), x)) << "style_prob 0 and prob 0: untouched";
  o.style_prob = 1;
  auto y = rand_classifier_augment(x, o);
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_LE(y.max().item<float>(), 1.f);
  EXPECT_GE(y.min().item<float>(), -1.f);
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(torch::allclose(y[i], x[i], 1e-3, 1e-3)) << "image " << i << " unchanged";
  // Gamma alone, fixed at 2: a pure intensity map, u -> u^2 on [0, 1].
  ClassifierAugmentOptions g;
  g.prob = 0;
  g.style_prob = 1;
  g.min_gamma = g.max_gamma = 2;
  auto expected = ((x + 1) / 2).pow(2) * 2 - 1;
  EXPECT_TRUE(torch::allclose(rand_classifier_augment(x, g), expected, 1e-5, 1e-5));
}

TEST(ClassifierPresets, NamedRecipesAndAClearErrorForAnUnknownOne) {
  const auto cpu = classifier_preset("cpu");
  EXPECT_TRUE(cpu.augment.has_style());
  EXPECT_TRUE(cpu.model.test_time_flips);
  EXPECT_EQ(cpu.model.input_norm, "head");
  const auto plain = classifier_preset("plain");
  EXPECT_FALSE(plain.augment.has_style());
  EXPECT_EQ(plain.epochs, 8);
  const auto seed = classifier_preset("seed-resnet152v2");
  EXPECT_EQ(seed.model.arch, "resnet152");
  EXPECT_EQ(seed.model.image_size, 128);
  EXPECT_EQ(seed.model.head_pool, "flatten");
  EXPECT_EQ(seed.model.head_units, 256);
  try {
    classifier_preset("resnet");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("known: cpu, plain, seed-resnet152v2"), std::string::npos) << e.what();
  }
}

TEST(ClassifierPredict, TestTimeFlipsAverageTheImageAndItsMirror) {
  models::ClassifierConfig config;
  config.arch = "cnn";
  config.width = 0.5;
  config.image_size = 32;
  torch::manual_seed(3);
  models::Classifier model(config);  // the same initial weights for both: the same seed
  config.test_time_flips = true;
  torch::manual_seed(3);
  models::Classifier flipping(config);
  auto x = torch::rand({4, 1, 32, 32}) * 2 - 1;
  const auto plain = predict_probabilities(model, x, torch::kCPU);
  const auto tta = predict_probabilities(flipping, x, torch::kCPU);
  torch::NoGradGuard no_grad;
  const auto expected = torch::sigmoid((model->forward(x) + model->forward(x.flip({3}))) / 2).to(torch::kFloat64);
  EXPECT_TRUE(torch::allclose(tta, expected, 1e-6, 1e-6));
  EXPECT_FALSE(torch::allclose(tta, plain, 1e-6, 1e-6)) << "an untrained network is not mirror-symmetric";
}

TEST(HeadNormalisation, CropsTheLargestRegionAndZScoresInsideIt) {
  // A bright 16x24 "head" in a 64x64 frame (value 0.5 on [0, 1]) with a noisy texture, and a small bright "text"
  // mark in a corner that is not the largest region.
  torch::manual_seed(1);
  auto u = torch::zeros({1, 1, 64, 64});
  u.slice(2, 20, 36).slice(3, 10, 34).copy_(0.5 + 0.1 * torch::rand({1, 1, 16, 24}));
  u.slice(2, 1, 3).slice(3, 58, 63).fill_(1.0);
  const auto out = models::normalise_head(u * 2 - 1);  // (1, 1, 64, 64)
  ASSERT_EQ(out.sizes(), u.sizes());
  EXPECT_LE(out.max().item<float>(), 1.f);
  EXPECT_GE(out.min().item<float>(), -1.f);
  // The head now fills the width (24 px + 4% margins -> 64 px): the middle row is foreground almost edge to edge,
  // and its values are z-scores, centred near 0 inside the head.
  const auto row = out[0][0][32];
  EXPECT_GT((row > -0.9).sum().item<int64_t>(), 54) << row;
  const auto inside = out[0][0].slice(0, 24, 40).slice(1, 8, 56);
  EXPECT_NEAR(inside.mean().item<double>(), 0.0, 0.15);
  // The corner mark was cropped away with the rest of the frame.
  EXPECT_LT(out[0][0].slice(0, 0, 6).slice(1, 56, 64).max().item<float>(), -0.5);
}

TEST(HeadNormalisation, IsPartOfTheModelAndItsSavedConfig) {
  models::ClassifierConfig config;
  config.arch = "cnn";
  config.width = 0.5;
  config.image_size = 32;
  config.input_norm = "head";
  const auto round_trip = models::classifier_config_from_json(models::to_json(config));
  EXPECT_EQ(round_trip.input_norm, "head");
  models::Classifier model(config);
  auto x = torch::rand({3, 1, 32, 32}) * 2 - 1;
  EXPECT_TRUE(torch::allclose(model->prepare(x), models::normalise_head(x)));
  config.input_norm = "zscore";
  EXPECT_THROW(models::Classifier{config}, osgan::Error);
}

TEST(ClassifierData, StratifiedHoldoutKeepsBothClasses) {
  auto set = disc_problem(10, 7);
  auto [rest, held] = stratified_holdout(set, 0.3, 1);
  EXPECT_EQ(held.size(), 6);
  EXPECT_EQ(held.positives(), 3);
  EXPECT_EQ(rest.size(), 14);
  auto [rest2, held2] = stratified_holdout(set, 0.3, 1);
  EXPECT_EQ(held.ids, held2.ids);
}
