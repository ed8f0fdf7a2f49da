#include "osgan/train/classifier_presets.h"

#include "osgan/core/error.h"

namespace osgan {

std::vector<std::string> classifier_preset_names() { return {"cpu", "plain", "seed-resnet152v2"}; }

ClassifierTrainOptions classifier_preset(const std::string& name) {
  ClassifierTrainOptions c;
  if (name == "cpu" || name == "plain") {
    c.model.arch = "resnet18";
    c.model.width = 0.25;
    c.model.image_size = 64;
    c.batch_size = 32;
    c.lr = 1e-3;
    c.epochs = 8;
    if (name == "cpu") {
      // Chosen on the development validation side and a style-shifted copy of it, never on an external set.
      c.epochs = 25;
      auto& a = c.augment;
      a.style_prob = 0.8;
      a.min_crop_area = 0.7, a.max_crop_area = 1.4;
      a.max_bias_field = 0.3;
      a.min_gamma = 0.7, a.max_gamma = 1.5;
      a.min_contrast = 0.75, a.max_contrast = 1.3;
      a.max_blur_sigma = 0.8;
      a.max_noise = 0.03;
      c.model.test_time_flips = true;
      c.model.input_norm = "head";
    }
  } else if (name == "seed-resnet152v2") {
    c.model.arch = "resnet152";
    c.model.width = 1.0;
    c.model.image_size = 128;
    c.model.head_pool = "flatten";
    c.model.head_units = 256;
    c.model.dropout = 0.5;
    c.epochs = 30;
    c.batch_size = 32;
    c.lr = 1e-4;
    c.early_stopping_fraction = 0.15;  // a part of the TRAINING side, never the validation side
  } else {
    fail(ErrorCode::invalid_argument, "unknown classifier preset \"" + name + "\" (known: cpu, plain, seed-resnet152v2)");
  }
  return c;
}

}  // namespace osgan
