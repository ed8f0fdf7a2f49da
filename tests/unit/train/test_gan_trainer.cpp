#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/io/png_writer.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/gan_trainer.h"
#include "osgan/train/interrupt.h"
#include "support/test_support.h"
#include "train_test_util.h"

namespace fs = std::filesystem;
using osgan::test::ScratchDir;

namespace {

std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void expect_same_final_weights(const fs::path& run_a, const fs::path& run_b, const osgan::GanConfig& config) {
  for (const char* part : {"g", "g_ema"}) {
    osgan::DcganGenerator a(config), b(config);
    osgan::test::load_dcgan_part(run_a / "checkpoints" / "latest.pt", part, *a);
    osgan::test::load_dcgan_part(run_b / "checkpoints" / "latest.pt", part, *b);
    osgan::test::expect_modules_equal(*a, *b, part);
  }
  osgan::DcganDiscriminator a(config), b(config);
  osgan::test::load_dcgan_part(run_a / "checkpoints" / "latest.pt", "d", *a);
  osgan::test::load_dcgan_part(run_b / "checkpoints" / "latest.pt", "d", *b);
  osgan::test::expect_modules_equal(*a, *b, "d");
}

}  // namespace

TEST(GanTrainer, WritesTheRunFolder) {
  ScratchDir dir("trainer");
  const auto run = dir / "run";
  auto options = osgan::test::tiny_options(run);
  osgan::GanTrainer trainer(options, osgan::test::tiny_images());
  const auto summary = trainer.run();
  EXPECT_EQ(summary.steps, 8);
  for (const char* file : {"config.yaml", "losses.csv", "summary.json", "checkpoints/latest.pt",
                           "checkpoints/step_000003.pt", "checkpoints/step_000006.pt", "checkpoints/step_000008.pt",
                           "samples/step_000004.png", "samples/step_000008.png"})
    EXPECT_TRUE(fs::exists(run / file)) << file;
  const auto csv = lines_of(run / "losses.csv");
  ASSERT_EQ(csv.size(), 9u);
  EXPECT_EQ(csv[0], "step,d_fake,d_real,d_total,g_total");
  EXPECT_EQ(csv[8].substr(0, 2), "8,");
  const auto json = nlohmann::json::parse(osgan::read_text_file(run / "summary.json"));
  EXPECT_EQ(json["steps"], 8);
  EXPECT_EQ(json["arch"], "dcgan");
  EXPECT_TRUE(json["final_losses"].contains("g_total"));
  EXPECT_NE(osgan::io::read_png_text(run / "samples/step_000008.png").count("osgan:synthetic"), 0u);
  // The saved config reloads to the same options.
  const auto back = osgan::options_from_yaml_text(osgan::read_text_file(run / "config.yaml"), "config.yaml");
  EXPECT_TRUE(osgan::resume_mismatches(back, options).empty());
  // A second run into the same folder without --resume must not clobber it.
  osgan::GanTrainer again(options, osgan::test::tiny_images());
  EXPECT_THROW(again.run(), osgan::Error);
}

TEST(GanTrainer, SnapshotsAreCheckpointedNeverPrunedAndListed) {
  ScratchDir dir("trainer");
  const auto run = dir / "run";
  auto options = osgan::test::tiny_options(run);
  options.steps = 9;
  options.checkpoint_every = 2;
  options.keep_checkpoints = 1;
  options.snapshots = 3;  // steps 4, 6 and 9
  osgan::GanTrainer trainer(options, osgan::test::tiny_images());
  trainer.run();
  std::vector<std::string> kept;
  for (const auto& entry : fs::directory_iterator(run / "checkpoints")) kept.push_back(entry.path().filename().string());
  std::sort(kept.begin(), kept.end());
  // step 8 is the one newest regular checkpoint kept; 2 was pruned; 4 and 6 are snapshots; 9 is the last step.
  EXPECT_EQ(kept, (std::vector<std::string>{"latest.pt", "step_000004.pt", "step_000006.pt", "step_000008.pt",
                                            "step_000009.pt"}));
  const auto json = nlohmann::json::parse(osgan::read_text_file(run / "summary.json"));
  EXPECT_EQ(json["snapshots"], (nlohmann::json{"checkpoints/step_000004.pt", "checkpoints/step_000006.pt",
                                               "checkpoints/step_000009.pt"}));
  EXPECT_EQ(osgan::read_checkpoint_info(run / "checkpoints" / "step_000006.pt").step, 6);
}

TEST(GanTrainer, InterruptAndResumeGivesBitwiseTheSameWeights) {
  ScratchDir dir("trainer");
  const auto images = osgan::test::tiny_images();
  auto straight = osgan::test::tiny_options(dir / "straight");
  osgan::GanTrainer(straight, images).run();

  // Interrupted after step 4 (not a checkpoint step: the interrupt itself must save), as by Ctrl-C.
  auto split = osgan::test::tiny_options(dir / "split");
  osgan::GanTrainer first(split, images);
  first.on_step = [](std::int64_t step, const osgan::StepLosses&) {
    if (step == 4) osgan::InterruptGuard::request();
  };
  try {
    first.run();
    FAIL() << "expected the run to stop with an interrupted error";
  } catch (const osgan::Error& e) {
    EXPECT_EQ(e.code(), osgan::ErrorCode::interrupted);
    EXPECT_NE(std::string(e.what()).find("step_000004.pt"), std::string::npos) << e.what();
  }
  EXPECT_EQ(lines_of(dir / "split" / "losses.csv").size(), 5u);
  // Extra rows past the checkpoint (a crash after logging) must be dropped on resume.
  { std::ofstream(dir / "split" / "losses.csv", std::ios::app) << "5,9,9,9,9\n"; }
  torch::manual_seed(12345);  // a different RNG state in the process: resume must restore its own
  split.resume = true;
  const auto summary = osgan::GanTrainer(split, images).run();
  EXPECT_EQ(summary.start_step, 4);
  EXPECT_EQ(summary.steps, 8);

  expect_same_final_weights(dir / "straight", dir / "split", straight.gan);
  EXPECT_EQ(lines_of(dir / "straight" / "losses.csv"), lines_of(dir / "split" / "losses.csv"));
}

TEST(GanTrainer, ResumeWithOtherModelOptionsIsRefused) {
  ScratchDir dir("trainer");
  auto options = osgan::test::tiny_options(dir / "run");
  options.steps = 2;
  osgan::GanTrainer(options, osgan::test::tiny_images()).run();
  options.resume = true;
  options.steps = 4;
  options.batch_size = 2;
  try {
    osgan::GanTrainer(options, osgan::test::tiny_images()).run();
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("batch"), std::string::npos) << e.what();
  }
}

TEST(GanTrainer, ResumeOfARunStoppedBeforeItsFirstCheckpointStartsItAgain) {
  ScratchDir dir("trainer");
  const auto images = osgan::test::tiny_images();
  auto straight = osgan::test::tiny_options(dir / "straight");
  osgan::GanTrainer(straight, images).run();

  // A crash at step 2, before the first checkpoint (step 3): config.yaml exists, latest.pt does not.
  auto crashed = osgan::test::tiny_options(dir / "crashed");
  osgan::GanTrainer first(crashed, images);
  first.on_step = [](std::int64_t step, const osgan::StepLosses&) {
    if (step == 2) throw std::runtime_error("simulated crash");
  };
  EXPECT_THROW(first.run(), std::runtime_error);
  ASSERT_TRUE(fs::exists(dir / "crashed" / "config.yaml"));
  ASSERT_FALSE(fs::exists(dir / "crashed" / "checkpoints" / "latest.pt"));

  // The same options with --resume but another batch size: refused, naming the key.
  auto other = crashed;
  other.resume = true;
  other.batch_size = 2;
  try {
    osgan::GanTrainer(other, images).run();
    ADD_FAILURE() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("batch"), std::string::npos) << e.what();
  }
  // The same command with --resume starts again from step 0 and ends as the unbroken run did.
  crashed.resume = true;
  const auto summary = osgan::GanTrainer(crashed, images).run();
  EXPECT_EQ(summary.start_step, 0);
  EXPECT_EQ(summary.steps, 8);
  expect_same_final_weights(dir / "straight", dir / "crashed", straight.gan);
  EXPECT_EQ(lines_of(dir / "straight" / "losses.csv"), lines_of(dir / "crashed" / "losses.csv"));
}

TEST(GanTrainer, ResumeOfAFolderHoldingNothingOfARunStartsIt) {
  // Killed before its config.yaml existed, a run left at most an absent folder, the empty checkpoints/ and samples/
  // folders and a half-written config.yaml temporary: the same command with --resume starts it, with the notice of
  // a run stopped before its first checkpoint, and ends as an unbroken run does.
  ScratchDir dir("trainer");
  const auto images = osgan::test::tiny_images();
  auto straight = osgan::test::tiny_options(dir / "straight");
  osgan::GanTrainer(straight, images).run();

  fs::create_directories(dir / "killed" / "checkpoints");
  fs::create_directories(dir / "killed" / "samples");
  std::ofstream(dir / "killed" / "config.yaml.tmp.999999998.0") << "arch: dcg";  // its writer is gone
  for (const char* run : {"absent", "killed"}) {
    auto options = osgan::test::tiny_options(dir / run);
    options.resume = true;
    testing::internal::CaptureStderr();
    const auto summary = osgan::GanTrainer(options, images).run();
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_NE(printed.find("starting it again from step 0"), std::string::npos) << run << ": " << printed;
    EXPECT_EQ(summary.start_step, 0) << run;
    EXPECT_EQ(summary.steps, 8) << run;
    EXPECT_FALSE(fs::exists(dir / run / "config.yaml.tmp.999999998.0")) << run;
    expect_same_final_weights(dir / "straight", dir / run, straight.gan);
    EXPECT_EQ(lines_of(dir / "straight" / "losses.csv"), lines_of(dir / run / "losses.csv")) << run;
  }

  // A folder holding anything else is not a run of osgan's: refused, naming what it holds, and left untouched.
  fs::create_directories(dir / "notes" / "samples");
  std::ofstream(dir / "notes" / "samples" / "mine.png") << "not a sample of ours";
  auto options = osgan::test::tiny_options(dir / "notes");
  options.resume = true;
  try {
    osgan::GanTrainer(options, images).run();
    ADD_FAILURE() << "--resume started a run in a folder holding other files";
  } catch (const osgan::Error& e) {
    EXPECT_EQ(e.code(), osgan::ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("mine.png"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "notes" / "checkpoints"));
  EXPECT_FALSE(fs::exists(dir / "notes" / "config.yaml"));
}

TEST(GanTrainer, QualityEveryWritesScoredRowsAndKeepsTheirGrids) {
  ScratchDir dir("trainer");
  auto options = osgan::test::tiny_options(dir / "run");
  options.quality_every = 3;
  options.quality_count = 8;
  osgan::GanTrainer(options, osgan::test::tiny_images(6)).run();
  const auto csv = lines_of(dir / "run" / "quality.csv");
  ASSERT_EQ(csv.size(), 4u);  // header, steps 3, 6 and the last step 8
  EXPECT_EQ(csv[0], "step,coverage_ema,coverage_raw,density_ema,density_raw,histogram_w1_ema,histogram_w1_raw,kid_ema,"
                    "kid_raw,precision_ema,precision_raw,recall_ema,recall_raw");
  EXPECT_EQ(csv[1].substr(0, 2), "3,");
  EXPECT_EQ(csv[3].substr(0, 2), "8,");
  // A scored step keeps its grid even when it is not a sample step (sample_every is 4).
  EXPECT_TRUE(fs::exists(dir / "run" / "samples" / "step_000003.png"));
  EXPECT_TRUE(fs::exists(dir / "run" / "samples" / "step_000006.png"));
}

TEST(GanTrainer, NonFiniteLossStopsWithTheLossStepAndLastCheckpoint) {
  ScratchDir dir("trainer");
  auto options = osgan::test::tiny_options(dir / "run");
  const auto nan_images = torch::full({5, 1, 16, 16}, std::numeric_limits<float>::quiet_NaN());
  const auto expect_numerical = [&](const std::string& step, const std::string& checkpoint) {
    try {
      osgan::GanTrainer(options, nan_images).run();
      ADD_FAILURE() << "expected a numerical error";
    } catch (const osgan::Error& e) {
      const std::string message = e.what();
      EXPECT_EQ(e.code(), osgan::ErrorCode::numerical) << message;
      EXPECT_NE(message.find("d_real"), std::string::npos) << message;
      EXPECT_NE(message.find(step), std::string::npos) << message;
      EXPECT_NE(message.find(checkpoint), std::string::npos) << message;
    }
  };
  // NaN data from the start: no checkpoint yet.
  options.out_dir = (dir / "at_start").string();
  expect_numerical("at step 1 ", "none yet");
  // Three good steps, then a resumed run on NaN data: stops at step 4 and points at the good checkpoint.
  options.out_dir = (dir / "later").string();
  options.steps = 3;
  osgan::GanTrainer(options, osgan::test::tiny_images()).run();
  options.steps = 8;
  options.resume = true;
  expect_numerical("at step 4 ", "latest.pt");
}

TEST(GanTrainer, RejectsImagesOfTheWrongShape) {
  ScratchDir dir("trainer");
  EXPECT_ANY_THROW(osgan::GanTrainer(osgan::test::tiny_options(dir / "run"), torch::zeros({2, 1, 8, 8})));
  auto bad = osgan::test::tiny_options(dir / "run");
  bad.steps = 0;
  EXPECT_THROW(osgan::GanTrainer(bad, osgan::test::tiny_images()), osgan::Error);
}

namespace {

nlohmann::json summary_of(const fs::path& run) {
  return nlohmann::json::parse(osgan::read_text_file(run / "summary.json"));
}

}  // namespace

TEST(GanTrainer, NanBeforeTheFirstCheckpointRestartsFromTheInitialWeightsWithHalvedRates) {
  ScratchDir dir("trainer");
  const auto images = osgan::test::tiny_images();
  auto faulty = osgan::test::tiny_options(dir / "faulty");
  {
    osgan::test::ScopedEnv nan_at("OSGAN_TEST_NAN_BATCH_AT_STEPS", "2");
    osgan::GanTrainer(faulty, images).run();
  }
  // The rollback replays from step 0 exactly as a run configured with half the learning rates.
  auto halved = osgan::test::tiny_options(dir / "halved");
  halved.gan.lr_g /= 2;
  halved.gan.lr_d /= 2;
  osgan::GanTrainer(halved, images).run();
  expect_same_final_weights(dir / "faulty", dir / "halved", faulty.gan);
  EXPECT_EQ(lines_of(dir / "faulty" / "losses.csv"), lines_of(dir / "halved" / "losses.csv"));
  const auto json = summary_of(dir / "faulty");
  EXPECT_EQ(json["rollbacks"], 1);
  EXPECT_DOUBLE_EQ(json["lr_g"].get<double>(), faulty.gan.lr_g / 2);
  EXPECT_DOUBLE_EQ(json["lr_d"].get<double>(), faulty.gan.lr_d / 2);
}

TEST(GanTrainer, NanAfterACheckpointRollsBackToItAndResumeKeepsTheLoweredRates) {
  ScratchDir dir("trainer");
  const auto images = osgan::test::tiny_images();
  auto straight = osgan::test::tiny_options(dir / "straight");
  osgan::GanTrainer(straight, images).run();

  auto faulty = osgan::test::tiny_options(dir / "faulty");
  faulty.steps = 6;
  {
    osgan::test::ScopedEnv nan_at("OSGAN_TEST_NAN_BATCH_AT_STEPS", "5");  // checkpoint at 3, fault at 5
    osgan::GanTrainer(faulty, images).run();
  }
  const auto info = osgan::read_checkpoint_info(dir / "faulty" / "checkpoints" / "latest.pt");
  EXPECT_EQ(info.step, 6);
  EXPECT_EQ(info.recovery.rollbacks, 1);
  EXPECT_DOUBLE_EQ(info.recovery.lr_scale, 0.5);
  faulty.steps = 8;
  faulty.resume = true;
  osgan::GanTrainer(faulty, images).run();
  const auto json = summary_of(dir / "faulty");
  EXPECT_EQ(json["rollbacks"], 1);
  EXPECT_DOUBLE_EQ(json["lr_g"].get<double>(), faulty.gan.lr_g / 2);

  // Every step is logged once; the steps before the checkpoint match the unbroken run, the replayed ones do not
  // (they ran at half the learning rate).
  const auto a = lines_of(dir / "straight" / "losses.csv"), b = lines_of(dir / "faulty" / "losses.csv");
  ASSERT_EQ(b.size(), 9u);
  for (int step = 1; step <= 8; ++step) EXPECT_EQ(b[step].substr(0, b[step].find(',')), std::to_string(step));
  for (int row = 0; row <= 3; ++row) EXPECT_EQ(a[row], b[row]) << "row " << row;
  EXPECT_NE(a[5], b[5]);
}

TEST(GanTrainer, RepeatedNanStopsAfterMaxRollbacksNamingTheStepAndCheckpoint) {
  ScratchDir dir("trainer");
  const auto images = osgan::test::tiny_images();
  osgan::test::ScopedEnv nan_at("OSGAN_TEST_NAN_BATCH_AT_STEPS", "5,5,5,5,5");
  for (int max_rollbacks : {3, 0}) {
    auto options = osgan::test::tiny_options(dir / ("max_" + std::to_string(max_rollbacks)));
    options.max_rollbacks = max_rollbacks;
    try {
      osgan::GanTrainer(options, images).run();
      ADD_FAILURE() << "expected a numerical error with max_rollbacks " << max_rollbacks;
    } catch (const osgan::Error& e) {
      const std::string message = e.what();
      EXPECT_EQ(e.code(), osgan::ErrorCode::numerical) << message;
      EXPECT_NE(message.find("at step 5 "), std::string::npos) << message;
      EXPECT_NE(message.find("after " + std::to_string(max_rollbacks) + " rollback"), std::string::npos) << message;
      EXPECT_NE(message.find("step_000003.pt"), std::string::npos) << message;
      EXPECT_NE(message.find("gradient norm = nan"), std::string::npos) << message;
    }
    // The run folder still ends at the good checkpoint.
    EXPECT_EQ(osgan::read_checkpoint_info(dir / ("max_" + std::to_string(max_rollbacks)) / "checkpoints" / "latest.pt").step, 3);
    EXPECT_EQ(lines_of(dir / ("max_" + std::to_string(max_rollbacks)) / "losses.csv").size(), 4u);
  }
}

namespace {

// Runs `call`, expecting an osgan::Error whose message holds every one of `parts`.
template <class Call>
void expect_error_containing(Call call, const std::vector<std::string>& parts) {
  try {
    call();
    ADD_FAILURE() << "expected an osgan::Error";
  } catch (const osgan::Error& e) {
    for (const auto& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

// Every parameter (not buffer: batch-norm statistics move in any forward) of a DCGAN part in two checkpoints.
bool same_dcgan_parameters(const fs::path& a, const fs::path& b, const osgan::GanConfig& config) {
  osgan::DcganGenerator ga(config), gb(config);
  osgan::test::load_dcgan_part(a, "g", *ga);
  osgan::test::load_dcgan_part(b, "g", *gb);
  osgan::DcganDiscriminator da(config), db(config);
  osgan::test::load_dcgan_part(a, "d", *da);
  osgan::test::load_dcgan_part(b, "d", *db);
  const auto same = [](const torch::nn::Module& x, const torch::nn::Module& y) {
    const auto px = x.named_parameters(), py = y.named_parameters();
    for (const auto& item : px)
      if (!torch::equal(item.value(), py[item.key()])) return false;
    return true;
  };
  return same(*ga, *gb) && same(*da, *db);
}

}  // namespace

TEST(GanTrainer, InitFromStartsFromTheSourceRunsWeights) {
  ScratchDir dir("trainer");
  const auto images = osgan::test::tiny_images();
  auto source = osgan::test::tiny_options(dir / "source");
  osgan::GanTrainer(source, images).run();

  // Learning rates so small that one Adam step cannot move a float32 weight: the weights after step 1 are the
  // weights the run started from.
  auto frozen = [&](const fs::path& run, const std::string& init_from) {
    auto o = osgan::test::tiny_options(run);
    o.steps = 1;
    o.seed = 11;
    o.gan.lr_g = o.gan.lr_d = 1e-30;
    o.init_from = init_from;
    osgan::GanTrainer(o, images).run();
    return run / "checkpoints" / "latest.pt";
  };
  const auto source_latest = dir / "source" / "checkpoints" / "latest.pt";
  EXPECT_TRUE(same_dcgan_parameters(frozen(dir / "from_folder", (dir / "source").string()), source_latest, source.gan));
  EXPECT_TRUE(same_dcgan_parameters(frozen(dir / "from_file", source_latest.string()), source_latest, source.gan));
  // Without init_from the run starts from its own seeded weights, so the comparison above can fail.
  EXPECT_FALSE(same_dcgan_parameters(frozen(dir / "fresh", ""), source_latest, source.gan));

  // The fine-tuning run says where it started, and resuming it continues it (not the source again).
  const auto config = osgan::read_text_file(dir / "from_folder" / "config.yaml");
  EXPECT_NE(config.find("init_from: " + (dir / "source").string()), std::string::npos) << config;
  auto more = osgan::test::tiny_options(dir / "from_folder");
  more.steps = 3;
  more.seed = 11;
  more.gan.lr_g = more.gan.lr_d = 1e-30;
  more.init_from = (dir / "source").string();
  more.resume = true;
  fs::remove_all(dir / "source");  // resuming reads the run's own checkpoint, not the source it started from
  EXPECT_EQ(osgan::GanTrainer(more, images).run().start_step, 1);

  // Resuming without repeating --init-from continues it too and keeps the source in its config; another source
  // is refused.
  more.steps = 4;
  more.init_from.clear();
  EXPECT_EQ(osgan::GanTrainer(more, images).run().start_step, 3);
  EXPECT_NE(osgan::read_text_file(dir / "from_folder" / "config.yaml").find("init_from: " + (dir / "source").string()),
            std::string::npos);
  more.steps = 5;
  more.init_from = (dir / "fresh").string();
  expect_error_containing([&] { osgan::GanTrainer(more, images).run(); }, {"--resume", "init_from"});
}

TEST(GanTrainer, InitFromAnotherArchitectureOrAMissingRunIsRefusedNamingIt) {
  ScratchDir dir("trainer");
  const auto images = osgan::test::tiny_images();
  auto source = osgan::test::tiny_options(dir / "source");
  source.steps = 2;
  osgan::GanTrainer(source, images).run();

  auto wider = osgan::test::tiny_options(dir / "wider");
  wider.gan.channels_g = 8;
  wider.init_from = (dir / "source").string();
  expect_error_containing([&] { osgan::GanTrainer(wider, images).run(); },
                                       {"init_from:", "latest.pt", "channels_g differ"});

  auto missing = osgan::test::tiny_options(dir / "missing");
  missing.init_from = (dir / "no_such_run").string();
  expect_error_containing([&] { osgan::GanTrainer(missing, images).run(); },
                                       {"init_from:", "no_such_run", "does not exist"});
}

TEST(GanTrainer, CommaSeparatedClassesPoolTheirTrainingImages) {
  ScratchDir dir("trainer");
  osgan::test::write_tiny_png(dir / "data" / "tumor" / "a.png");
  osgan::test::write_tiny_png(dir / "data" / "tumor" / "b.png");
  osgan::test::write_tiny_png(dir / "data" / "normal" / "c.png");
  auto o = osgan::test::tiny_options(dir / "run");
  o.image_file.clear();
  o.data_dir = (dir / "data").string();
  o.quiet = true;
  o.class_name = "tumor";
  EXPECT_EQ(osgan::load_training_images(o).size(0), 2);
  o.class_name = "tumor,normal";
  EXPECT_EQ(osgan::load_training_images(o).size(0), 3);
  o.class_name = "normal,tumor,normal";  // a repeat is not counted twice
  EXPECT_EQ(osgan::load_training_images(o).size(0), 3);
  o.class_name = "tumor,glioma";
  expect_error_containing([&] { osgan::load_training_images(o); }, {"no class \"glioma\""});
  o.class_name = "tumor,,normal";
  expect_error_containing([&] { osgan::load_training_images(o); }, {"an empty class name"});
}

TEST(GanTrainer, SamplesKeepOnlyTheListedTrainingImagesAndRefuseAnyOther) {
  ScratchDir dir("trainer");
  // Three tumour images that differ (bright left half, top half, one corner) and a normal one.
  fs::create_directories(dir / "data" / "tumor");
  for (int k = 0; k < 3; ++k) {
    osgan::io::Image image(8, 8, 0.f);
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) image.at(y, x) = (k == 0 ? x < 4 : k == 1 ? y < 4 : x < 2 && y < 2) ? 250.f : 5.f;
    osgan::io::write_png_grey8(dir / "data" / "tumor" / (std::string(1, static_cast<char>('a' + k)) + ".png"), image);
  }
  osgan::test::write_tiny_png(dir / "data" / "normal" / "d.png");
  auto o = osgan::test::tiny_options(dir / "run");
  o.image_file.clear();
  o.data_dir = (dir / "data").string();
  o.quiet = true;
  o.class_name = "tumor";
  const auto all = osgan::load_training_images(o);  // (3, 1, S, S), a b c in path order
  o.samples = {"tumor/c.png", "tumor/a.png", "tumor/c.png"};  // a repeat is kept once
  const auto listed = osgan::load_training_images(o);
  ASSERT_EQ(listed.size(0), 2);
  ASSERT_FALSE(torch::equal(all[0], all[2]));
  EXPECT_TRUE(torch::equal(listed[0], all[2]) && torch::equal(listed[1], all[0]));
  // Another class's image, or one that does not exist: refused, naming it (a mode list must never leak images).
  o.samples = {"tumor/a.png", "normal/d.png"};
  expect_error_containing([&] { osgan::load_training_images(o); }, {"samples: \"normal/d.png\"", "not a training image of class \"tumor\""});
  o.samples = {"tumor/z.png"};
  expect_error_containing([&] { osgan::load_training_images(o); }, {"\"tumor/z.png\""});
  // The list travels with the saved configuration, so a resumed or init_from run sees the same images.
  o.samples = {"tumor/b.png"};
  const auto again = osgan::options_from_yaml_text(osgan::to_yaml(o), "config.yaml");
  EXPECT_EQ(again.samples, o.samples);
  EXPECT_EQ(osgan::to_yaml(osgan::options_from_yaml_text("samples: []\n", "c")).find("samples"), std::string::npos);
  EXPECT_FALSE(osgan::resume_mismatches(o, again).size());
  auto other = again;
  other.samples = {"tumor/a.png"};
  EXPECT_EQ(osgan::resume_mismatches(o, other), (std::vector<std::string>{"samples"}));
}
