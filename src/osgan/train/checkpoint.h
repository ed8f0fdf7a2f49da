// GAN checkpoints: one LibTorch archive holding the format name and version, the training step, the resolved
// options (YAML), the random generator states, and everything Gan::save writes (G, D, EMA-G, both optimizers).
// Restoring all of it makes a resumed run bitwise equal to an uninterrupted one on the CPU.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <torch/torch.h>

#include "osgan/train/gan.h"
#include "osgan/train/gan_train_options.h"

namespace osgan {

constexpr const char* kCheckpointFormat = "osgan-gan-checkpoint";
constexpr std::int64_t kCheckpointVersion = 1;

// How a run has recovered from numeric faults so far (see GanTrainer::run). Kept in checkpoints so that a resumed
// run goes on with the lowered learning rates; checkpoints written before it existed read as no rollbacks.
struct RecoveryState {
  int rollbacks = 0;      // rollbacks to a good checkpoint so far
  double lr_scale = 1.0;  // factor on the configured lr_g and lr_d (halved at each rollback)
};

struct CheckpointInfo {
  std::int64_t step = 0;
  std::string config_yaml;  // to_yaml(options) of the run
  RecoveryState recovery;
};

// The default random generator's state on `device` (the CPU one for a CPU device), and setting it back: what a
// checkpoint keeps so that a resumed run draws what an uninterrupted one would.
torch::Tensor random_state(const torch::Device& device);
void set_random_state(const torch::Device& device, const torch::Tensor& state);

// Checks the file (io/torch_archive_check.h) and opens it as a LibTorch archive. Throws osgan::Error naming the file
// when it is missing (io) or not an archive (bad_format, followed by `hint`: what to do instead).
void open_torch_archive(const std::filesystem::path& path, torch::serialize::InputArchive& archive,
                        const torch::Device& device, const std::string& hint);

// The header that every osgan checkpoint (GAN, upsampler) starts with: which format and version it is, the training
// step, and the run's configuration as text (YAML or JSON, the format's choice).
struct ArchiveHeader {
  std::int64_t step = 0;
  std::string config;
};
void write_archive_header(torch::serialize::OutputArchive& archive, const std::string& format, std::int64_t version,
                          std::int64_t step, const std::string& config);
// Throws osgan::Error (bad_format) naming the file when the archive is not `format` (what: its name for people, e.g.
// "GAN checkpoint"), has another version, or lacks its step or config; `hint` (what to do) ends each message.
ArchiveHeader read_archive_header(const std::filesystem::path& path, torch::serialize::InputArchive& archive,
                                  const std::string& format, std::int64_t version, const std::string& what,
                                  const std::string& hint);

// Writes atomically. Saves the default CPU generator's state, and the CUDA one when `device` is CUDA.
void save_checkpoint(const std::filesystem::path& path, const Gan& gan, std::int64_t step,
                     const GanTrainOptions& options, const torch::Device& device, const RecoveryState& recovery = {});

// Reads the header (format, version, step, config) without building a model. Throws osgan::Error (bad_format)
// naming the file when it is not an osgan GAN checkpoint or has another version.
CheckpointInfo read_checkpoint_info(const std::filesystem::path& path);

// Loads the GAN state into `gan` (built from the same config); with restore_rng, also sets the generator states.
CheckpointInfo load_checkpoint(const std::filesystem::path& path, Gan& gan, const torch::Device& device,
                               bool restore_rng);

// Builds the GAN described by the checkpoint's config on `device` and loads it.
std::unique_ptr<Gan> load_gan_from_checkpoint(const std::filesystem::path& path, const torch::Device& device,
                                              CheckpointInfo* info = nullptr);

}  // namespace osgan
