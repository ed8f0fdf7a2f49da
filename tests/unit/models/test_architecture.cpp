// The recommended configuration table (spec 1.2), parameter counts (spec 1.3/1.4 derived numbers for 3 channels;
// osgan's own for 1 channel), and the G / D output shapes.
#include <gtest/gtest.h>

#include "osgan/core/error.h"
#include "osgan/models/one_shot_gan/discriminator.h"
#include "osgan/models/one_shot_gan/generator.h"

namespace {
using namespace osgan::one_shot;

osgan::GanConfig config_for(int size) {
  osgan::GanConfig c;
  c.image_size = size;
  return c;
}

int64_t count(torch::nn::Module& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

TEST(Architecture, RecommendedTable) {
  struct Row { int size, noise, g, d, d_low, low_size; };
  for (const Row& r : {Row{64, 4, 5, 6, 2, 16}, Row{128, 4, 6, 7, 3, 16}, Row{256, 4, 7, 7, 3, 32}, Row{320, 5, 7, 7, 3, 40}}) {
    const auto a = make_architecture(config_for(r.size));
    EXPECT_EQ(a.noise_size, r.noise) << r.size;
    EXPECT_EQ(a.blocks_g, r.g) << r.size;
    EXPECT_EQ(a.blocks_d, r.d) << r.size;
    EXPECT_EQ(a.blocks_d_low, r.d_low) << r.size;
    EXPECT_EQ(a.low_level_size(), r.low_size) << r.size;
  }
  const auto a = make_architecture(config_for(128));
  EXPECT_EQ(a.channels_g, (std::vector<int>{256, 256, 256, 256, 128, 64, 32}));
  EXPECT_EQ(a.channels_d, (std::vector<int>{32, 64, 128, 256, 256, 256, 256, 256}));
}

TEST(Architecture, RejectsSizesThatCannotBeRepresented) {
  try {
    make_architecture(config_for(100));
    FAIL() << "100 must be rejected";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("96"), std::string::npos) << e.what();  // hint: the re-quantised size
  }
  EXPECT_THROW(make_architecture(config_for(32)), osgan::Error);  // below the recommended range
  auto c = config_for(32);
  c.blocks_g = 4;
  EXPECT_THROW(make_architecture(c), osgan::Error);  // no D table entry for 4 G blocks
  c.blocks_d = 4;
  c.blocks_d_low = 2;
  EXPECT_NO_THROW(make_architecture(c));
}

TEST(Architecture, ParameterCountsMatchThePublishedModelWithThreeChannels) {
  for (auto [size, g_count, d_count] : {std::tuple<int, int64_t, int64_t>{128, 4650354, 1256497},
                                        std::tuple<int, int64_t, int64_t>{256, 5902965, 1256497}}) {
    const auto a = make_architecture(config_for(size), /*image_channels=*/3);
    Generator g(a);
    Discriminator d(a);
    EXPECT_EQ(count(*g), g_count) << size;
    EXPECT_EQ(count(*d), d_count) << size;
  }
}

TEST(Architecture, ParameterCountsSingleChannel) {
  const auto a = make_architecture(config_for(128));
  Generator g(a);
  Discriminator d(a);
  EXPECT_EQ(count(*g), 4632486);  // 3 -> 1 image channels: 6 heads lose 2 x (9 x (256+256+256+128+64+32) + 1) = 17,868
  EXPECT_EQ(count(*d), 1255489);  // from_rgb (32, 8, 16 outputs) read 1 channel not 3: -2 x 9 x 56 = 1,008
}

TEST(Architecture, OutputShapesAt128) {
  torch::manual_seed(0);
  const auto a = make_architecture(config_for(128));
  Generator g(a);
  Discriminator d(a);
  torch::NoGradGuard no_grad;
  auto out = g(torch::randn({2, 64, 1, 1}));
  ASSERT_EQ(out.images.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    const int64_t s = 4 << i;
    EXPECT_EQ(out.images[i].sizes(), (std::vector<int64_t>{2, 1, s, s}));
    EXPECT_EQ(out.features[i].size(2), s);
    EXPECT_LE(out.images[i].abs().max().item<double>(), 1.0);
  }
  auto dout = d->forward(std::vector<torch::Tensor>(out.images.end() - 3, out.images.end()));
  ASSERT_EQ(dout.low_level.size(), 3u);
  ASSERT_EQ(dout.content.size(), 4u);
  ASSERT_EQ(dout.layout.size(), 4u);
  EXPECT_EQ(dout.low_level[0].sizes(), (std::vector<int64_t>{2, 1, 64, 64}));
  EXPECT_EQ(dout.low_level[2].sizes(), (std::vector<int64_t>{2, 1, 16, 16}));
  for (const auto& c : dout.content) EXPECT_EQ(c.sizes(), (std::vector<int64_t>{2, 1, 1, 1}));
  for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(dout.layout[j].size(2), 8 >> j);  // 8, 4, 2, 1
  // The real pyramid has G's side-output sizes.
  const auto pyr = image_pyramid(out.images.back(), 3);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(pyr[i].sizes(), out.images[3 + i].sizes());
}

TEST(Architecture, DiscriminatorRejectsWrongInput) {
  auto c = config_for(32);
  c.blocks_g = 4;
  c.blocks_d = 4;
  c.blocks_d_low = 2;
  c.channels_d = 8;
  Discriminator d(make_architecture(c));
  EXPECT_THROW(d->forward({torch::zeros({2, 1, 8, 8}), torch::zeros({2, 1, 16, 16})}), c10::Error);
  EXPECT_THROW(d->forward({torch::zeros({2, 1, 32, 32})}), c10::Error);  // one scale, two needed
}

}  // namespace
