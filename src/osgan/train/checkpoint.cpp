#include "osgan/train/checkpoint.h"

#include <ATen/Context.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/one_line.h"
#include "osgan/io/torch_archive_check.h"

namespace osgan {
namespace {

const char* kRegenerate = "Hint: it was written by another program or osgan version; train again with osgan train-gan.";

at::Generator default_generator(const torch::Device& device) {
  return at::globalContext().defaultGenerator(device.is_cuda() ? device : torch::Device(torch::kCPU));
}

void open_archive(const std::filesystem::path& path, torch::serialize::InputArchive& archive,
                  const torch::Device& device) {
  open_torch_archive(path, archive, device, kRegenerate);
}

CheckpointInfo read_header(const std::filesystem::path& path, torch::serialize::InputArchive& archive) {
  const auto header = read_archive_header(path, archive, kCheckpointFormat, kCheckpointVersion, "GAN checkpoint", kRegenerate);
  CheckpointInfo info{header.step, header.config, {}};
  c10::IValue rollbacks, lr_scale;
  if (archive.try_read("rollbacks", rollbacks) && rollbacks.isInt()) info.recovery.rollbacks = static_cast<int>(rollbacks.toInt());
  if (archive.try_read("lr_scale", lr_scale) && lr_scale.isDouble()) info.recovery.lr_scale = lr_scale.toDouble();
  if (info.step < 0 || info.recovery.rollbacks < 0 || !(info.recovery.lr_scale > 0 && info.recovery.lr_scale <= 1))
    fail(ErrorCode::bad_format, path.string() + ": checkpoint header out of range (step " + std::to_string(info.step) +
         ", rollbacks " + std::to_string(info.recovery.rollbacks) + ", lr_scale " + std::to_string(info.recovery.lr_scale) +
         "). " + kRegenerate);
  return info;
}

}  // namespace

void write_archive_header(torch::serialize::OutputArchive& archive, const std::string& format, std::int64_t version,
                          std::int64_t step, const std::string& config) {
  archive.write("format", c10::IValue(format));
  archive.write("version", c10::IValue(version));
  archive.write("step", c10::IValue(step));
  archive.write("config", c10::IValue(config));
}

ArchiveHeader read_archive_header(const std::filesystem::path& path, torch::serialize::InputArchive& archive,
                                  const std::string& format, std::int64_t version, const std::string& what,
                                  const std::string& hint) {
  c10::IValue found_format, found_version, step, config;
  if (!archive.try_read("format", found_format) || !found_format.isString() || found_format.toStringRef() != format)
    fail(ErrorCode::bad_format, path.string() + ": not an osgan " + what + " (no \"" + format + "\" marker). " + hint);
  if (!archive.try_read("version", found_version) || !found_version.isInt() || found_version.toInt() != version)
    fail(ErrorCode::bad_format, path.string() + ": " + what + " format version " +
         (found_version.isInt() ? std::to_string(found_version.toInt()) : std::string("?")) +
         ", this osgan reads version " + std::to_string(version) + ". " + hint);
  if (!archive.try_read("step", step) || !step.isInt() || !archive.try_read("config", config) || !config.isString())
    fail(ErrorCode::bad_format, path.string() + ": " + what + " lacks its step or config. " + hint);
  return {step.toInt(), config.toStringRef()};
}

torch::Tensor random_state(const torch::Device& device) {
  auto gen = default_generator(device);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

void set_random_state(const torch::Device& device, const torch::Tensor& state) {
  auto gen = default_generator(device);
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

void open_torch_archive(const std::filesystem::path& path, torch::serialize::InputArchive& archive,
                        const torch::Device& device, const std::string& hint) {
  if (!std::filesystem::is_regular_file(path))
    fail(ErrorCode::io, path.string() + ": checkpoint not found. Hint: checkpoints are RUN/checkpoints/latest.pt "
         "or RUN/checkpoints/step_XXXXXX.pt");
  io::check_torch_archive(path);  // LibTorch trusts the sizes inside the file
  try {
    archive.load_from(path.string(), device);
  } catch (const std::exception&) {
    // c10::Error for a broken zip or pickle, but torch::jit::ErrorReport (a plain std::exception) when the
    // archive's TorchScript code does not compile: both mean the same to the user.
    fail(ErrorCode::bad_format, path.string() + ": not a LibTorch archive (corrupt or truncated?). " + hint);
  }
}

void save_checkpoint(const std::filesystem::path& path, const Gan& gan, std::int64_t step,
                     const GanTrainOptions& options, const torch::Device& device, const RecoveryState& recovery) {
  torch::serialize::OutputArchive archive;
  write_archive_header(archive, kCheckpointFormat, kCheckpointVersion, step, to_yaml(options));
  archive.write("rollbacks", c10::IValue(static_cast<std::int64_t>(recovery.rollbacks)));
  archive.write("lr_scale", c10::IValue(recovery.lr_scale));
  archive.write("rng_cpu", random_state(torch::kCPU));
  if (device.is_cuda()) archive.write("rng_cuda", random_state(device));
  torch::serialize::OutputArchive gan_archive;
  gan.save(gan_archive);
  archive.write("gan", gan_archive);
  write_atomically(path, [&](const std::filesystem::path& tmp) { archive.save_to(tmp.string()); });
}

CheckpointInfo read_checkpoint_info(const std::filesystem::path& path) {
  torch::serialize::InputArchive archive;
  open_archive(path, archive, torch::kCPU);
  return read_header(path, archive);
}

CheckpointInfo load_checkpoint(const std::filesystem::path& path, Gan& gan, const torch::Device& device,
                               bool restore_rng) {
  torch::serialize::InputArchive archive;
  open_archive(path, archive, device);
  auto info = read_header(path, archive);
  try {
    torch::serialize::InputArchive gan_archive;
    archive.read("gan", gan_archive);
    gan.load(gan_archive);
    if (restore_rng) {
      torch::Tensor cpu_state, cuda_state;
      archive.read("rng_cpu", cpu_state);
      set_random_state(torch::kCPU, cpu_state.to(torch::kCPU));
      if (device.is_cuda()) {
        if (!archive.try_read("rng_cuda", cuda_state))
          fail(ErrorCode::bad_format, path.string() + ": written on the CPU, so a CUDA run cannot resume from it "
               "exactly. Hint: resume with --device cpu.");
        set_random_state(device, cuda_state.to(torch::kCPU));
      }
    }
  } catch (const c10::Error& e) {
    fail(ErrorCode::bad_format, path.string() + ": checkpoint does not match the model (" +
         one_line(e.what_without_backtrace()) + "). " + kRegenerate);
  }
  return info;
}

std::unique_ptr<Gan> load_gan_from_checkpoint(const std::filesystem::path& path, const torch::Device& device,
                                              CheckpointInfo* info) {
  const auto header = read_checkpoint_info(path);
  const auto options = options_from_yaml_text(header.config_yaml, path.string());
  auto gan = make_gan(options.gan, device);
  const auto loaded = load_checkpoint(path, *gan, device, /*restore_rng=*/false);
  if (info) *info = loaded;
  return gan;
}

}  // namespace osgan
