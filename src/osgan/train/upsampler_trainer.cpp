// The upsampler's training loop: per step a batch of training slices, each cut to a random crop at the same place
// in its GAN-size input and its full-size answer, flipped left-right at random; noise on the input; one
// upsampler_step. Every random draw comes from LibTorch's default generator, checkpointed with the model.
#include "osgan/train/upsampler_trainer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "osgan/core/atomic_file.h"
#include "osgan/core/duration.h"
#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/core/log.h"
#include "osgan/core/one_line.h"
#include "osgan/io/png_writer.h"
#include "osgan/losses/adversarial.h"
#include "osgan/runtime/device.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/gan_train_options.h"
#include "osgan/train/gan_trainer.h"
#include "osgan/train/interrupt.h"
#include "osgan/train/loss_log.h"
#include "osgan/train/sample_grid.h"

namespace osgan {
namespace fs = std::filesystem;
using json = nlohmann::json;
namespace {

const char* kRetrain = "Hint: it was written by another program or osgan version; train again with osgan train-upsampler.";

json config_json(const UpsamplerTrainOptions& o, int from_size) {
  auto j = upsampler_fingerprint(o);
  j["format"] = "osgan-upsampler-config";
  j["from_size"] = from_size;
  j["steps"] = o.steps;
  j["checkpoint_every"] = o.checkpoint_every;
  return j;
}

struct Pairs {
  torch::Tensor low, high;  // (N, 1, s, s) and (N, 1, S, S) in [-1, 1]
};

// The GAN run's training images at its own size and at `size`, preprocessed alike.
Pairs load_pairs(const UpsamplerTrainOptions& o, int* from_size) {
  const auto config = o.gan_run / "config.yaml";
  if (!fs::is_regular_file(config))
    fail(ErrorCode::io, o.gan_run.string() + ": no config.yaml, so not a train-gan run folder. Hint: give the folder "
         "that train-gan wrote (RUN, with config.yaml and checkpoints/); with gan.per_mode, one mode's RUN/gan/<class>/mode_<k>.");
  auto gan = options_from_yaml_text(read_text_file(config), config.string());
  if (o.whole_class) gan.samples.clear();
  *from_size = gan.gan.image_size;
  Pairs pairs;
  pairs.low = load_training_images(gan);
  gan.gan.image_size = o.size;
  pairs.high = load_training_images(gan);
  return pairs;
}

// Every tenth image (the 10th, 20th, ...) is held back; with fewer than 10 the last one; with one image none.
std::vector<std::int64_t> held_back_indices(std::int64_t n) {
  std::vector<std::int64_t> held;
  for (std::int64_t i = 9; i < n; i += 10) held.push_back(i);
  if (held.empty() && n >= 2) held.push_back(n - 1);
  return held;
}

torch::Tensor index_tensor(const std::vector<std::int64_t>& v) { return torch::tensor(v, torch::kLong); }

// A random crop of `crop` px of each full-size image and the matching crop of its input, and a random flip.
// low (B, 1, s, s), high (B, 1, S, S) -> (B, 1, crop / f, crop / f), (B, 1, crop, crop).
std::pair<torch::Tensor, torch::Tensor> random_crops(const torch::Tensor& low, const torch::Tensor& high, int crop, int factor) {
  const auto b = low.size(0);
  const auto s = low.size(2);
  const auto c = crop / factor;
  const auto offsets = torch::randint(0, s - c + 1, {b, 2}, torch::kLong);
  const auto flips = torch::randint(0, 2, {b}, torch::kLong);
  std::vector<torch::Tensor> lows, highs;
  for (int64_t i = 0; i < b; ++i) {
    const auto y = offsets[i][0].item<int64_t>(), x = offsets[i][1].item<int64_t>();
    auto l = low[i].slice(1, y, y + c).slice(2, x, x + c);
    auto h = high[i].slice(1, y * factor, (y + c) * factor).slice(2, x * factor, (x + c) * factor);
    if (flips[i].item<int64_t>() == 1) {
      l = l.flip({2});
      h = h.flip({2});
    }
    lows.push_back(l);
    highs.push_back(h);
  }
  return {torch::stack(lows), torch::stack(highs)};
}

void save(const fs::path& path, cascade::Upsampler& model, torch::optim::Adam& optimizer,
          cascade::PatchDiscriminator* d, torch::optim::Adam* d_optimizer, std::int64_t step, const json& config,
          const torch::Device& device) {
  torch::serialize::OutputArchive archive;
  write_archive_header(archive, kUpsamplerCheckpointFormat, kUpsamplerCheckpointVersion, step, config.dump());
  archive.write("rng_cpu", random_state(torch::kCPU));
  if (device.is_cuda()) archive.write("rng_cuda", random_state(device));
  torch::serialize::OutputArchive m, o;
  model->save(m);
  optimizer.save(o);
  archive.write("model", m);
  archive.write("optimizer", o);
  if (d) {
    torch::serialize::OutputArchive dm, dopt;
    (*d)->save(dm);
    d_optimizer->save(dopt);
    archive.write("discriminator", dm);
    archive.write("d_optimizer", dopt);
  }
  write_atomically(path, [&](const fs::path& tmp) { archive.save_to(tmp.string()); });
}

struct Header {
  std::int64_t step = 0;
  json config;
};

Header read_header(const fs::path& path, torch::serialize::InputArchive& archive) {
  const auto raw = read_archive_header(path, archive, kUpsamplerCheckpointFormat, kUpsamplerCheckpointVersion,
                                       "upsampler checkpoint", kRetrain);
  Header header;
  header.step = raw.step;
  try {
    header.config = json::parse(raw.config);
    header.config.at("from_size").get<int>();
    header.config.at("size").get<int>();
  } catch (const std::exception& e) {
    fail(ErrorCode::bad_format, path.string() + ": upsampler checkpoint header unreadable (" + one_line(e.what()) +
         "). " + kRetrain);
  }
  return header;
}

UpsamplerTrainOptions options_from_config(const json& config) {
  UpsamplerTrainOptions o;
  o.size = config.at("size").get<int>();
  o.base_channels = config.at("base_channels").get<int>();
  o.residual_blocks = config.at("residual_blocks").get<int>();
  return o;
}

void log_progress(std::int64_t step, std::int64_t steps, double seconds, std::int64_t done, const StepLosses& losses) {
  std::ostringstream line;
  const double rate = done / std::max(seconds, 1e-9);
  line << "[train-upsampler] step " << step << "/" << steps << std::fixed << std::setprecision(2) << "  " << rate
       << " steps/s  ETA " << format_duration((steps - step) / std::max(rate, 1e-9));
  for (const auto& [name, value] : losses) line << "  " << name << " " << std::setprecision(4) << value;
  log_info(line.str());
}

}  // namespace

json upsampler_fingerprint(const UpsamplerTrainOptions& o) {
  return {{"gan_run", o.gan_run.string()}, {"whole_class", o.whole_class}, {"size", o.size},
          {"base_channels", o.base_channels}, {"residual_blocks", o.residual_blocks}, {"batch_size", o.batch_size},
          {"crop", o.crop}, {"lr", o.lr}, {"adversarial_weight", o.adversarial_weight}, {"input_noise", o.input_noise},
          {"seed", o.seed}};
}

void validate(const UpsamplerTrainOptions& o) {
  const auto bad = [](const std::string& what) { fail(ErrorCode::invalid_argument, "train-upsampler: " + what); };
  if (o.gan_run.empty()) bad("expected --gan RUN (a train-gan run folder)");
  if (o.out_dir.empty()) bad("expected --out DIR");
  validate_settings(o);
}

void validate_settings(const UpsamplerTrainOptions& o) {
  const auto bad = [](const std::string& what) { fail(ErrorCode::invalid_argument, "train-upsampler: " + what); };
  if (o.size < 8 || o.size > 1024) bad("--size: expected 8 to 1024, got " + std::to_string(o.size));
  if (o.base_channels < 8 || o.base_channels > 512) bad("--channels: expected 8 to 512, got " + std::to_string(o.base_channels));
  if (o.residual_blocks < 0 || o.residual_blocks > 32) bad("--blocks: expected 0 to 32, got " + std::to_string(o.residual_blocks));
  if (o.steps < 1) bad("--steps: expected 1 or more, got " + std::to_string(o.steps));
  if (o.batch_size < 1 || o.batch_size > 1024) bad("--batch: expected 1 to 1024, got " + std::to_string(o.batch_size));
  if (o.crop < 0 || o.crop > o.size) bad("--crop: expected 0 (whole images) to --size, got " + std::to_string(o.crop));
  if (!(o.lr > 0 && o.lr < 1)) bad("--lr: expected a number in (0, 1)");
  if (!(o.adversarial_weight >= 0 && o.adversarial_weight <= 100)) bad("--adversarial: expected 0 to 100");
  if (!(o.input_noise >= 0 && o.input_noise <= 1)) bad("--input-noise: expected 0 to 1");
  if (o.checkpoint_every < 1) bad("--checkpoint-every: expected 1 or more");
}

cascade::UpsamplerConfig upsampler_config(const UpsamplerTrainOptions& o, int from_size) {
  if (from_size < 1 || from_size > 4096)
    fail(ErrorCode::invalid_argument, "train-upsampler: the GAN's size is " + std::to_string(from_size) +
         " px; expected 1 to 4096");
  int stages = 0;
  while (stages < 5 && (from_size << stages) < o.size) ++stages;  // at most x32: a size read from a file is untrusted
  if (from_size < 1 || stages < 1 || from_size << stages != o.size)
    fail(ErrorCode::invalid_argument, "train-upsampler: --size " + std::to_string(o.size) + " is not the GAN's " +
         std::to_string(from_size) + " px times 2, 4, 8 or 16. Hint: e.g. --size " + std::to_string(from_size * 4));
  if (o.crop > 0 && o.crop % (1 << stages) != 0)
    fail(ErrorCode::invalid_argument, "train-upsampler: --crop " + std::to_string(o.crop) + " is not a multiple of the "
         "factor " + std::to_string(1 << stages));
  cascade::UpsamplerConfig config;
  config.stages = stages;
  config.residual_blocks = o.residual_blocks;
  config.channels.clear();
  for (int k = 0; k <= stages; ++k) config.channels.push_back(std::max(8, o.base_channels >> k));
  cascade::validate(config);
  return config;
}

StepLosses upsampler_step(cascade::Upsampler& model, torch::optim::Adam& optimizer, const torch::Tensor& low,
                          const torch::Tensor& high, cascade::PatchDiscriminator* discriminator,
                          torch::optim::Adam* d_optimizer, double adversarial_weight) {
  StepLosses losses;
  const auto out = model->forward(low);  // (N, 1, S, S)
  if (discriminator) {
    // D first, on the upsampled images as they are now: hinge loss, real against upsampled.
    d_optimizer->zero_grad();
    auto& d = *discriminator;
    // Two statements: each forward advances the spectral norms' power iteration, so the order is part of the result.
    const auto real_loss = losses::adversarial_loss(d->forward(high), losses::AdversarialMode::hinge, true, false);
    const auto fake_loss = losses::adversarial_loss(d->forward(out.detach()), losses::AdversarialMode::hinge, false, false);
    const auto d_loss = real_loss + fake_loss;
    d_loss.backward();
    d_optimizer->step();
    losses["d_loss"] = d_loss.item<double>();
  }
  optimizer.zero_grad();
  const auto l1 = (out - high).abs().mean();
  auto loss = l1;
  if (discriminator) {
    const auto g_adv = losses::adversarial_loss((*discriminator)->forward(out), losses::AdversarialMode::hinge, true, true);
    loss = loss + adversarial_weight * g_adv;
    losses["g_adversarial"] = g_adv.item<double>();
  }
  loss.backward();
  optimizer.step();
  losses["l1"] = l1.item<double>();
  return losses;
}

UpsamplerScore score_upsampler(cascade::Upsampler& model, const torch::Tensor& low, const torch::Tensor& high) {
  torch::NoGradGuard no_grad;
  const bool was_training = model->is_training();
  model->eval();
  const auto psnr = [](const torch::Tensor& a, const torch::Tensor& b) {
    const double mse = (a - b).pow(2).mean().item<double>();
    return 10 * std::log10(4.0 / std::max(mse, 1e-12));  // peak-to-peak 2 in [-1, 1]
  };
  UpsamplerScore score;
  std::vector<torch::Tensor> outs;
  for (int64_t i = 0; i < low.size(0); i += 16) outs.push_back(model->forward(low.slice(0, i, i + 16)).clamp(-1, 1));
  const auto up = torch::cat(outs);
  const auto bilinear = cascade::enlarge_bilinear(low, model->factor()).clamp(-1, 1);
  score.l1_upsampler = (up - high).abs().mean().item<double>();
  score.l1_bilinear = (bilinear - high).abs().mean().item<double>();
  score.psnr_upsampler = psnr(up, high);
  score.psnr_bilinear = psnr(bilinear, high);
  model->train(was_training);
  return score;
}

UpsamplerTrainSummary train_upsampler(const UpsamplerTrainOptions& options) {
  validate(options);
  const auto device = parse_device(options.device);
  int from_size = 0;
  const auto pairs = load_pairs(options, &from_size);
  const auto config = upsampler_config(options, from_size);
  const int factor = 1 << config.stages;
  const auto n = pairs.low.size(0);
  const auto held = held_back_indices(n);
  std::vector<std::int64_t> trained;
  for (std::int64_t i = 0; i < n; ++i)
    if (std::find(held.begin(), held.end(), i) == held.end()) trained.push_back(i);
  const auto low = pairs.low.index_select(0, index_tensor(trained)).to(device);    // (T, 1, s, s)
  const auto high = pairs.high.index_select(0, index_tensor(trained)).to(device);  // (T, 1, S, S)
  const auto held_low = held.empty() ? low : pairs.low.index_select(0, index_tensor(held)).to(device);
  const auto held_high = held.empty() ? high : pairs.high.index_select(0, index_tensor(held)).to(device);
  const int crop = options.crop == 0 ? options.size : options.crop;

  const fs::path run = options.out_dir;
  const auto latest = run / "checkpoints" / "latest.pt";
  const auto run_config = config_json(options, from_size);
  const bool resuming = options.resume && fs::is_regular_file(latest);
  if (!options.resume && fs::exists(run / "config.json"))
    fail(ErrorCode::invalid_argument, run.string() + " holds an upsampler run already. Hint: --resume to go on with it, "
         "or another --out");

  seed_everything(options.seed);
  cascade::Upsampler model(config);
  model->to(device);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(options.lr).betas({0.9, 0.999}));
  cascade::PatchDiscriminator d{nullptr};
  std::unique_ptr<torch::optim::Adam> d_optimizer;
  if (options.adversarial_weight > 0) {
    d = cascade::PatchDiscriminator();
    d->to(device);
    d_optimizer = std::make_unique<torch::optim::Adam>(d->parameters(),
                                                       torch::optim::AdamOptions(options.lr).betas({0.9, 0.999}));
  }

  UpsamplerTrainSummary summary;
  LossLog loss_log(run / "losses.csv");
  if (resuming) {
    torch::serialize::InputArchive archive;
    open_torch_archive(latest, archive, device, kRetrain);
    const auto header = read_header(latest, archive);
    json saved = header.config, wanted = run_config;
    for (const auto* key : {"steps", "checkpoint_every"}) saved.erase(key), wanted.erase(key);
    if (saved != wanted)
      fail(ErrorCode::invalid_argument, latest.string() + ": written with other options (" + header.config.dump() +
           "). Hint: resume with the same options, or start another --out");
    try {
      torch::serialize::InputArchive m, o;
      archive.read("model", m);
      archive.read("optimizer", o);
      model->load(m);
      optimizer.load(o);
      if (d) {
        torch::serialize::InputArchive dm, dopt;
        archive.read("discriminator", dm);
        archive.read("d_optimizer", dopt);
        d->load(dm);
        d_optimizer->load(dopt);
      }
      torch::Tensor rng;
      archive.read("rng_cpu", rng);
      set_random_state(torch::kCPU, rng);
      if (device.is_cuda()) {
        archive.read("rng_cuda", rng);
        set_random_state(device, rng);
      }
    } catch (const c10::Error& e) {
      fail(ErrorCode::bad_format, latest.string() + ": does not match the model (" + one_line(e.what_without_backtrace()) +
           "). " + kRetrain);
    }
    summary.start_step = header.step;
    loss_log.load_up_to(header.step);
  }
  fs::create_directories(run / "checkpoints");
  fs::create_directories(run / "samples");
  write_text_atomically(run / "config.json", run_config.dump(2) + "\n");
  log_info("[train-upsampler] " + std::to_string(from_size) + " -> " + std::to_string(options.size) + " px on " +
           std::to_string(trained.size()) + " training images of " + options.gan_run.string() + " (" +
           std::to_string(held.size()) + " held back to score it), " + std::to_string(options.steps) + " steps" +
           (summary.start_step > 0 ? ", from step " + std::to_string(summary.start_step) : ""));

  const auto write_samples = [&](std::int64_t step) {
    torch::NoGradGuard no_grad;
    model->eval();
    const auto k = std::min<int64_t>(8, held_low.size(0));
    const auto in = held_low.slice(0, 0, k);
    const auto rows = torch::stack({cascade::enlarge_bilinear(in, factor), model->forward(in), held_high.slice(0, 0, k)},
                                   1).reshape({3 * k, 1, options.size, options.size});  // (3k, 1, S, S): b | u | r per slice
    model->train();
    io::write_png_grey8(run / "samples" / (step_name(step) + ".png"), make_image_grid(rows.clamp(-1, 1).cpu(), k > 1 ? 6 : 3),
                        {{"Description", "held-back training slices, two a row: bilinear from the GAN size | upsampled | real, step " +
                                             std::to_string(step)}});
  };
  const auto checkpoint = [&](std::int64_t step) {
    loss_log.write();
    save(latest, model, optimizer, d ? &d : nullptr, d_optimizer.get(), step, run_config, device);
    write_samples(step);
  };

  InterruptGuard interrupt;
  const auto start = std::chrono::steady_clock::now();
  auto last_progress = start;
  std::int64_t step = summary.start_step;
  model->train();
  while (step < options.steps) {
    const auto pick = torch::randint(0, low.size(0), {options.batch_size}, torch::TensorOptions(torch::kLong).device(device));
    auto [in, target] = random_crops(low.index_select(0, pick), high.index_select(0, pick), crop, factor);
    if (options.input_noise > 0) in = in + options.input_noise * torch::randn_like(in);
    const auto losses = upsampler_step(model, optimizer, in, target, d ? &d : nullptr, d_optimizer.get(),
                                       options.adversarial_weight);
    for (const auto& [name, value] : losses)
      if (!std::isfinite(value))
        fail(ErrorCode::numerical, "train-upsampler: loss " + name + " is " + std::to_string(value) + " at step " +
             std::to_string(step + 1) + ". Hint: a lower --lr; resume from " + latest.string());
    ++step;
    loss_log.add(step, losses);
    const auto now = std::chrono::steady_clock::now();
    if (!options.quiet && std::chrono::duration<double>(now - last_progress).count() >= 5) {
      log_progress(step, options.steps, std::chrono::duration<double>(now - start).count(), step - summary.start_step, losses);
      last_progress = now;
    }
    if (step % options.checkpoint_every == 0 || step == options.steps) checkpoint(step);
    if (InterruptGuard::requested()) {
      if (step % options.checkpoint_every != 0 && step != options.steps) checkpoint(step);
      fail(ErrorCode::interrupted, "train-upsampler: interrupted at step " + std::to_string(step) + "; saved " +
           latest.string() + ". Hint: the same command with --resume goes on from there");
    }
  }
  summary.steps = step;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.training_images = static_cast<int>(trained.size());
  summary.held_back_images = static_cast<int>(held.size());
  summary.held_back = score_upsampler(model, held_low, held_high);
  const json j = {{"steps", summary.steps},
                  {"seconds", summary.seconds},
                  {"from_size", from_size},
                  {"size", options.size},
                  {"training_images", summary.training_images},
                  {"held_back_images", summary.held_back_images},
                  {"held_back", {{"l1_bilinear", summary.held_back.l1_bilinear},
                                 {"l1_upsampler", summary.held_back.l1_upsampler},
                                 {"psnr_bilinear", summary.held_back.psnr_bilinear},
                                 {"psnr_upsampler", summary.held_back.psnr_upsampler}}}};
  write_text_atomically(run / "summary.json", j.dump(2) + "\n");
  return summary;
}

LoadedUpsampler load_upsampler(const fs::path& file_or_run, const torch::Device& device) {
  const auto path = fs::is_directory(file_or_run) ? file_or_run / "checkpoints" / "latest.pt" : file_or_run;
  torch::serialize::InputArchive archive;
  open_torch_archive(path, archive, device, kRetrain);
  const auto header = read_header(path, archive);
  LoadedUpsampler loaded;
  loaded.from_size = header.config.at("from_size").get<int>();
  try {
    const auto o = options_from_config(header.config);
    loaded.size = o.size;
    loaded.model = cascade::Upsampler(upsampler_config(o, loaded.from_size));
    torch::serialize::InputArchive m;
    archive.read("model", m);
    loaded.model->load(m);
  } catch (const std::exception& e) {
    fail(ErrorCode::bad_format, path.string() + ": does not hold the upsampler its header describes (" +
         one_line(e.what()) + "). " + kRetrain);
  }
  loaded.model->to(device);
  loaded.model->eval();
  loaded.step = header.step;
  loaded.sha256 = sha256_file_hex(path);
  loaded.path = path;
  return loaded;
}

}  // namespace osgan
