// Writes the seed corpora in fuzz/corpus/<target>/: small valid files of each format, made by the formats' own
// libraries through the unit tests' fixture writers (tests/unit/io/io_fixtures.h), and JSON/YAML seeds made by
// osgan's own writers. Run once by hand (docs/hardening.md); the outputs are committed, a few KB each.
//   build-fuzz/bin/fuzz_make_corpus fuzz/corpus
#include <cstdio>
#include <fstream>

#include "osgan/core/stage_record.h"
#include "osgan/data/split.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/gan_train_options.h"
#include "unit/io/io_fixtures.h"

namespace fs = std::filesystem;
using namespace osgan::test;

namespace {

std::vector<std::uint16_t> ramp16(int n, int step) {
  std::vector<std::uint16_t> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<std::uint16_t>(i * step);
  return v;
}
std::vector<std::uint8_t> ramp8(int n) {
  std::vector<std::uint8_t> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7);
  return v;
}
std::vector<double> rampd(int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = i * 3.0;
  return v;
}
void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

void image_seeds(const fs::path& out) {
  const fs::path png = out / "image_png", jpeg = out / "image_jpeg", bmp = out / "image_bmp", tiff = out / "image_tiff",
                 dicom = out / "image_dicom", nifti = out / "image_nifti";
  for (const auto& d : {png, jpeg, bmp, tiff, dicom, nifti}) fs::create_directories(d);
  write_png(png / "grey8.png", 8, 6, 1, 8, ramp16(48, 5));
  write_png(png / "grey16.png", 8, 6, 1, 16, ramp16(48, 1000));
  write_png(png / "rgba8.png", 4, 4, 4, 8, ramp16(64, 3));
  write_jpeg(jpeg / "grey.jpg", 16, 16, 1, ramp8(256), 90);  // (image_jpeg also holds tests/data/jpeg/progressive-grey.jpg)
  write_jpeg(jpeg / "rgb.jpg", 8, 8, 3, ramp8(192), 75);
  write_bmp(bmp / "rgb.bmp", 5, 3, 3, ramp8(45));
  write_bmp(bmp / "grey.bmp", 4, 4, 1, ramp8(16));

  write_tiff(tiff / "grey8.tif", 8, 6, 1, 8, false, rampd(48));
  write_tiff(tiff / "grey16_tiled.tif", 20, 18, 1, 16, false, rampd(360), /*tiled=*/true);
  write_tiff(tiff / "rgb_float.tif", 4, 4, 3, 32, true, rampd(48));
  write_tiff_min_is_white(tiff / "min_is_white.tif", 4, 4, ramp8(16));
  std::vector<std::uint16_t> map(256);
  for (int i = 0; i < 256; ++i) map[i] = static_cast<std::uint16_t>(i * 257);
  write_tiff_palette(tiff / "palette.tif", 4, 4, ramp8(16), map, map, map);

  DicomSpec plain;
  plain.stored = std::vector<std::int32_t>(12, 100);
  write_dicom(dicom / "mono2.dcm", plain);
  DicomSpec mono1 = plain;
  mono1.monochrome1 = true, mono1.is_signed = true, mono1.bits_stored = 12, mono1.slope = 2, mono1.intercept = -1024;
  write_dicom(dicom / "mono1_rescale.dcm", mono1);
  DicomSpec frames = plain;
  frames.frames = 2, frames.stored = std::vector<std::int32_t>(24, 7), frames.compression = "rle";
  write_dicom(dicom / "two_frames_rle.dcm", frames);
  DicomSpec rgb;
  rgb.rgb = true, rgb.bits_allocated = 8, rgb.bits_stored = 8, rgb.stored = std::vector<std::int32_t>(36, 40);
  rgb.compression = "jpeg-baseline";
  write_dicom(dicom / "rgb_jpeg.dcm", rgb);
  DicomSpec ls = plain;
  ls.compression = "jpeg-ls";
  write_dicom(dicom / "jpeg_ls.dcm", ls);

  write_nifti(nifti / "uint8.nii", 4, 3, 2, /*DT_UINT8=*/2, rampd(24));
  write_nifti(nifti / "int16_scaled.nii.gz", 4, 3, 2, /*DT_INT16=*/4, rampd(24), 2.0, -5.0);
  write_nifti(nifti / "float_nifti2.nii", 3, 3, 3, /*DT_FLOAT32=*/16, rampd(27), 0.0, 0.0, /*nifti2=*/true);
}

void json_seeds(const fs::path& out) {
  fs::create_directories(out / "split");
  osgan::data::Split split;
  split.seed = 3;
  split.side_of = {{"normal/a.png", osgan::data::Side::train}, {"normal/b.png", osgan::data::Side::train},
                   {"tumor/c.png", osgan::data::Side::val}, {"tumor/d.nii#3", osgan::data::Side::val}};
  split.label_of = {{"normal/a.png", "normal"}, {"normal/b.png", "normal"}, {"tumor/c.png", "tumor"},
                    {"tumor/d.nii#3", "tumor"}};
  split.groups = {{"normal/a.png", "normal/b.png"}};
  split.notes = {"a note"};
  osgan::data::write_split(out / "split" / "split.json", split);

  fs::create_directories(out / "stage_record");
  const fs::path run = out / "stage_record" / "run";
  osgan::StageRecords(run).mark_complete({"gan", "fingerprint", 12.5, {"gan/normal/summary.json", "audit.json"}});
  fs::rename(run / "stages" / "gan.json", out / "stage_record" / "gan.json");
  fs::remove_all(run);

  fs::create_directories(out / "run_metrics");
  write_text(out / "run_metrics" / "metrics.json",
             R"({"format": "osgan.metrics", "version": 1, "dataset": {"images": 400, "classes": ["normal", "tumor"]},)"
             R"( "study": {"real": {"accuracy": {"mean": 0.75, "low": 0.68, "high": 0.82}}}, "notes": ["x"]})" "\n");
  write_text(out / "run_metrics" / "minimal.json", "{}\n");

  fs::create_directories(out / "gan_config");
  osgan::GanTrainOptions options;
  write_text(out / "gan_config" / "defaults.yaml", osgan::to_yaml(options));
  write_text(out / "gan_config" / "small.yaml", "arch: dcgan\nimage_size: 32\nsteps: 10\nlr_g: 0.001\nuse_ema: false\n");
}

// A whole checkpoint is a TorchScript archive of about 200 KB even for the smallest GAN, too big to mutate
// well; read_checkpoint_info reads only its header, so the seed is an archive with the same header keys
// (checkpoint.cpp) and one small tensor in place of the generator state.
void checkpoint_seed(const fs::path& out) {
  fs::create_directories(out / "checkpoint");
  osgan::GanTrainOptions options;
  options.gan.arch = "dcgan";
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string(osgan::kCheckpointFormat)));
  archive.write("version", c10::IValue(osgan::kCheckpointVersion));
  archive.write("step", c10::IValue(std::int64_t{1}));
  archive.write("config", c10::IValue(osgan::to_yaml(options)));
  archive.write("rng_cpu", torch::arange(8, torch::kUInt8));
  archive.save_to((out / "checkpoint" / "header.pt").string());
}

// A classifier folder as save_classifier writes it, packed into one input for fuzz_classifier.cpp: the JSON,
// the marker "\0OSGANPT", then model.pt. The smallest model (cnn, width 0.25, 16 px) keeps the input small.
void classifier_seed(const fs::path& out) {
  const fs::path folder = out / "classifier-folder.tmp";
  osgan::SavedClassifier saved;
  saved.config.arch = "cnn";
  saved.config.width = 0.25;
  saved.config.image_size = 16;
  saved.config.head_units = 8;
  saved.preprocess.size = 16;
  saved.model = osgan::models::Classifier(saved.config);
  osgan::save_classifier(folder, saved);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  fs::create_directories(out / "classifier");
  std::ofstream(out / "classifier" / "cnn.bin", std::ios::binary)
      << slurp(folder / "classifier.json") << std::string("\0OSGANPT", 8) << slurp(folder / "model.pt");
  fs::remove_all(folder);
}

void pipeline_config_seeds(const fs::path& out) {
  fs::create_directories(out / "pipeline_config");
  write_text(out / "pipeline_config" / "every-section.yaml",
             "gan:\n  arch: one-shot\n  image_size: 64\n  steps: 6\nsplit:\n  val_fraction: 0.3\ngenerate:\n  count: 12\n"
             "classifier:\n  arch: cnn\n  width: 0.5\n  epochs: 1\n  batch: 16\n  lr: 0.001\n  augment_prob: 0.5\n"
             "study:\n  seeds: [1, 2]\n  protocols: [real, real_synthetic]\n  bootstrap: 50\n  positive_class: tumor\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_corpus OUT_DIR (normally fuzz/corpus)\n");
    return 2;
  }
  image_seeds(argv[1]);
  json_seeds(argv[1]);
  checkpoint_seed(argv[1]);
  classifier_seed(argv[1]);
  pipeline_config_seeds(argv[1]);
  return 0;
}
