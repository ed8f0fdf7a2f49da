// Building labelled image tensors for classifier training and evaluation.
#include "osgan/train/classifier_data.h"

#include <algorithm>
#include <cctype>
#include <random>

#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/data/split.h"
#include "osgan/io/png_writer.h"
#include "osgan/train/image_tensor.h"

namespace osgan {
namespace {

// True for a PNG that `osgan generate` wrote: grey 8-bit, marked osgan:synthetic, holding the generator's output
// as written ([-1, 1] -> 0..255).
bool written_by_osgan_generate(const std::filesystem::path& file, const io::ImageInfo& info) {
  if (info.format != "png" || info.bits_per_sample != 8 || info.channels != 1) return false;
  const auto text = io::read_png_text(file);
  const auto marked = text.find("osgan:synthetic");
  return marked != text.end() && marked->second == "true";
}

// Reads such a PNG back by the inverse of how it was written, so the tensor is the generator's output (to within
// 8-bit rounding). The real images' percentile scaling would stretch each sample to its own brightest pixels
// instead (up to 1.7x more contrast for a dim sample), distorting every metric and the classifier's synthetic inputs.
io::Image from_generated_grey8(const io::Image& raw, const data::PreprocessOptions& preprocess) {
  io::Image image = raw;
  for (float& v : image.pixels) v = v / 127.5f - 1.f;
  if (image.height != preprocess.size || image.width != preprocess.size)
    image = data::resize_image(image, preprocess.size, preprocess.size);
  return image;
}

}  // namespace

int64_t LabelledImages::positives() const {
  return labels.defined() ? labels.sum().item<int64_t>() : 0;
}

LabelledImages labelled_from_dataset(const data::Dataset& dataset, const std::vector<std::size_t>& indices,
                                     const std::string& positive_class) {
  if (std::find(dataset.classes.begin(), dataset.classes.end(), positive_class) == dataset.classes.end()) {
    std::string names;
    for (const auto& c : dataset.classes) names += (names.empty() ? "" : ", ") + c;
    fail(ErrorCode::invalid_argument, "--positive \"" + positive_class + "\": not a class of " + dataset.root.string() +
         " (classes: " + names + ")");
  }
  LabelledImages out;
  if (indices.empty()) return out;
  out.images = samples_to_tensor(dataset, indices);
  std::vector<float> labels;
  for (auto i : indices) {
    const auto& s = dataset.samples.at(i);
    labels.push_back(s.label == positive_class ? 1.f : 0.f);
    out.ids.push_back(s.id);
    out.sources.push_back("real");
  }
  out.labels = torch::tensor(labels, torch::kFloat32);
  return out;
}

LabelledImages load_labelled_folder(const std::filesystem::path& folder, int label,
                                    const data::PreprocessOptions& preprocess, const std::string& source) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(folder))
    fail(ErrorCode::io, "image folder \"" + folder.string() + "\": not found or not a folder");
  std::vector<fs::path> files;
  // Every entry that is not a folder and holds an image or is named like one: the reader then names what is wrong
  // with an empty or truncated file, a symlink loop or an unreadable file, and it is skipped with that warning
  // (is_regular_file would throw on a loop; other files, such as notes, are left alone).
  const auto named_like_an_image = [](const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* known : {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".dcm", ".nii", ".gz"})
      if (ext == known) return true;
    return false;
  };
  for (const auto& e : fs::directory_iterator(folder)) {
    std::error_code ec;
    if (!e.is_directory(ec) && (named_like_an_image(e.path()) || io::is_supported_image(e.path()))) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<io::Image> images;
  LabelledImages out;
  for (const auto& f : files) {
    try {
      const auto file = io::read_image_file(f);
      const bool generated = written_by_osgan_generate(f, file.info);
      for (const auto& slice : file.slices) {
        const int stored = std::min(slice.image.height, slice.image.width);
        out.smallest_stored_size = out.smallest_stored_size == 0 ? stored : std::min(out.smallest_stored_size, stored);
        images.push_back(generated ? from_generated_grey8(slice.image, preprocess)
                                   : data::preprocess_image(slice.image, preprocess));
        out.ids.push_back(slice.index < 0 ? f.string() : f.string() + "#" + std::to_string(slice.index));
        out.sources.push_back(source);
      }
    } catch (const Error& e) {
      log_warning(std::string("skipping ") + e.what());
    }
  }
  if (images.empty())
    fail(ErrorCode::io, "image folder \"" + folder.string() + "\": no readable image. Hint: expected PNG, JPEG, "
         "TIFF, DICOM or NIfTI files directly inside it.");
  out.images = images_to_tensor(images);
  out.labels = torch::full({out.images.size(0)}, static_cast<float>(label), torch::kFloat32);
  return out;
}

LabelledImages concat(const LabelledImages& a, const LabelledImages& b) {
  if (a.size() == 0) return b;
  if (b.size() == 0) return a;
  if (a.images.sizes().slice(1) != b.images.sizes().slice(1))
    fail(ErrorCode::invalid_argument, "image sets of different sizes: " + c10::str(a.images.sizes()) + " and " +
         c10::str(b.images.sizes()));
  LabelledImages out;
  out.images = torch::cat({a.images, b.images});
  out.labels = torch::cat({a.labels, b.labels});
  out.ids = a.ids;
  out.ids.insert(out.ids.end(), b.ids.begin(), b.ids.end());
  out.sources = a.sources;
  out.sources.insert(out.sources.end(), b.sources.begin(), b.sources.end());
  return out;
}

LabelledImages subset(const LabelledImages& set, const std::vector<int64_t>& indices) {
  LabelledImages out;
  if (indices.empty()) return out;
  auto idx = torch::tensor(indices, torch::kLong);
  out.images = set.images.index_select(0, idx);
  out.labels = set.labels.index_select(0, idx);
  for (auto i : indices) {
    out.ids.push_back(set.ids.at(static_cast<std::size_t>(i)));
    out.sources.push_back(set.sources.at(static_cast<std::size_t>(i)));
  }
  return out;
}

LabelledImages with_label(const LabelledImages& set, bool positive) {
  std::vector<int64_t> rows;
  for (int64_t i = 0; i < set.size(); ++i)
    if ((set.labels[i].item<float>() > 0.5f) == positive) rows.push_back(i);
  return subset(set, rows);
}

std::pair<LabelledImages, LabelledImages> stratified_holdout(const LabelledImages& set, double fraction, std::uint64_t seed) {
  if (!(fraction > 0 && fraction < 1))
    fail(ErrorCode::invalid_argument, "holdout fraction: expected a value in (0, 1), got " + std::to_string(fraction));
  std::mt19937_64 rng(seed);
  std::vector<int64_t> rest, held;
  for (int label : {0, 1}) {
    std::vector<int64_t> members;
    for (int64_t i = 0; i < set.size(); ++i)
      if (static_cast<int>(set.labels[i].item<float>()) == label) members.push_back(i);
    std::shuffle(members.begin(), members.end(), rng);
    std::size_t n_held = static_cast<std::size_t>(fraction * static_cast<double>(members.size()) + 0.5);
    if (members.size() >= 2) n_held = std::clamp<std::size_t>(n_held, 1, members.size() - 1);
    else n_held = 0;
    held.insert(held.end(), members.begin(), members.begin() + static_cast<std::ptrdiff_t>(n_held));
    rest.insert(rest.end(), members.begin() + static_cast<std::ptrdiff_t>(n_held), members.end());
  }
  std::sort(rest.begin(), rest.end());
  std::sort(held.begin(), held.end());
  return {subset(set, rest), subset(set, held)};
}

RealImages load_real_images(const RealImageSource& source, const data::PreprocessOptions& preprocess) {
  data::DatasetOptions options;
  options.preprocess = preprocess;
  const auto dataset = data::load_dataset(source.data, options);
  if (dataset.classes.size() != 2)
    fail(ErrorCode::invalid_argument, source.data.string() + ": expected exactly 2 classes for a binary classifier, found " +
         std::to_string(dataset.classes.size()) + ". Hint: keep one folder for the positive and one for the negative class.");
  RealImages out;
  out.positive_class = source.positive_class;
  out.negative_class = dataset.classes[0] == source.positive_class ? dataset.classes[1] : dataset.classes[0];
  std::vector<std::size_t> indices;
  if (source.split.empty()) {
    for (std::size_t i = 0; i < dataset.samples.size(); ++i) indices.push_back(i);
    out.description = "all of " + source.data.string();
  } else {
    if (source.side != "train" && source.side != "val")
      fail(ErrorCode::invalid_argument, "--side: expected train or val, got \"" + source.side + "\"");
    const auto split = data::read_split(source.split);
    indices = data::select_samples(dataset, split, source.side == "train" ? data::Side::train : data::Side::val);
    out.description = source.side + " side of " + source.split.string();
  }
  out.images = labelled_from_dataset(dataset, indices, source.positive_class);
  out.description += " (" + std::to_string(out.images.size()) + " images, " + std::to_string(out.images.positives()) +
                     " " + out.positive_class + ")";
  return out;
}

}  // namespace osgan
