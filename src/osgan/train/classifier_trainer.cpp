// The classifier training loop: one epoch = shuffled mini-batches, augment, BCE with logits, optimizer step.
#include "osgan/train/classifier_trainer.h"

#include <cmath>
#include <sstream>

#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/runtime/device.h"

namespace osgan {

namespace {

void check_options(const ClassifierTrainOptions& o) {
  auto bad = [](const std::string& what) { fail(ErrorCode::invalid_argument, what); };
  if (o.epochs < 1) bad("--epochs: expected >= 1, got " + std::to_string(o.epochs));
  if (o.batch_size < 2) bad("--batch: expected >= 2 (batch norm needs 2 images), got " + std::to_string(o.batch_size));
  if (o.optimizer != "adam" && o.optimizer != "sgd") bad("--optimizer: expected adam or sgd, got \"" + o.optimizer + "\"");
  if (o.schedule != "cosine" && o.schedule != "step" && o.schedule != "none")
    bad("--schedule: expected cosine, step or none, got \"" + o.schedule + "\"");
  if (!(o.lr > 0)) bad("--lr: expected > 0, got " + std::to_string(o.lr));
  if (o.weight_decay < 0) bad("--weight-decay: expected >= 0");
  if (o.augment.prob < 0 || o.augment.prob > 1) bad("--augment-prob: expected a value in [0, 1]");
  const auto& a = o.augment;
  if (a.style_prob < 0 || a.style_prob > 1) bad("augment: style_prob: expected a value in [0, 1]");
  if (!(a.min_crop_area > 0 && a.min_crop_area <= a.max_crop_area && a.max_crop_area <= 4))
    bad("augment: crop area: expected 0 < min <= max <= 4");
  if (!(a.min_gamma > 0 && a.min_gamma <= a.max_gamma)) bad("augment: gamma: expected 0 < min <= max");
  if (!(a.min_contrast > 0 && a.min_contrast <= a.max_contrast)) bad("augment: contrast: expected 0 < min <= max");
  if (a.max_bias_field < 0 || a.max_blur_sigma < 0 || a.max_noise < 0)
    bad("augment: bias field, blur and noise limits must be >= 0");
  if (o.early_stopping_fraction < 0 || o.early_stopping_fraction >= 1)
    bad("--early-stopping: expected a fraction in [0, 1), got " + std::to_string(o.early_stopping_fraction));
}

double lr_at(const ClassifierTrainOptions& o, int epoch) {  // epoch 0-based
  if (o.schedule == "cosine") return 0.5 * o.lr * (1 + std::cos(M_PI * epoch / o.epochs));
  if (o.schedule == "step") return o.lr * std::pow(o.gamma, epoch / std::max(1, o.step_epochs));
  return o.lr;
}

void set_lr(torch::optim::Optimizer& opt, double lr) {
  for (auto& group : opt.param_groups()) {
    if (auto* adam = dynamic_cast<torch::optim::AdamOptions*>(&group.options())) adam->lr(lr);
    if (auto* sgd = dynamic_cast<torch::optim::SGDOptions*>(&group.options())) sgd->lr(lr);
  }
}

// Mean BCE and accuracy over a set, eval mode (no dropout, running batch-norm statistics).
std::pair<double, double> evaluate_loss(models::Classifier& model, const LabelledImages& set, const torch::Device& device) {
  auto p = predict_probabilities(model, set.images, device).clamp(1e-7, 1 - 1e-7);  // (N)
  auto y = set.labels.to(torch::kFloat64);
  const double loss = -(y * p.log() + (1 - y) * (1 - p).log()).mean().item<double>();
  const double acc = ((p >= 0.5).to(torch::kFloat64) == y).to(torch::kFloat64).mean().item<double>();
  return {loss, acc};
}

std::vector<char> snapshot(models::Classifier& model) {
  std::ostringstream out;
  torch::serialize::OutputArchive archive;
  model->save(archive);
  archive.save_to(out);
  const auto s = out.str();
  return {s.begin(), s.end()};
}

void restore(models::Classifier& model, const std::vector<char>& bytes) {
  torch::serialize::InputArchive archive;
  archive.load_from(bytes.data(), bytes.size());
  model->load(archive);
}

}  // namespace

nlohmann::json to_json(const ClassifierTrainOptions& o) {
  return {{"model", models::to_json(o.model)}, {"epochs", o.epochs}, {"batch_size", o.batch_size},
          {"optimizer", o.optimizer}, {"lr", o.lr}, {"weight_decay", o.weight_decay}, {"schedule", o.schedule},
          {"step_epochs", o.step_epochs}, {"gamma", o.gamma},
          {"augment", {{"prob", o.augment.prob}, {"flips", o.augment.flips}, {"max_rotation_deg", o.augment.max_rotation_deg},
                       {"max_translate", o.augment.max_translate}, {"max_scale", o.augment.max_scale},
                       {"max_intensity", o.augment.max_intensity}, {"style_prob", o.augment.style_prob},
                       {"crop_area", {o.augment.min_crop_area, o.augment.max_crop_area}},
                       {"max_bias_field", o.augment.max_bias_field}, {"gamma", {o.augment.min_gamma, o.augment.max_gamma}},
                       {"contrast", {o.augment.min_contrast, o.augment.max_contrast}},
                       {"max_blur_sigma", o.augment.max_blur_sigma}, {"max_noise", o.augment.max_noise}}},
          {"balance_classes", o.balance_classes}, {"early_stopping_fraction", o.early_stopping_fraction},
          {"patience", o.patience}, {"device", o.device}, {"seed", o.seed}};
}

torch::Tensor predict_probabilities(models::Classifier& model, const torch::Tensor& images, const torch::Device& device,
                                    int batch_size) {
  return models::run_in_batches(
      model, images, device, batch_size,
      [&](const torch::Tensor& batch) {
        if (!model->config().test_time_flips) return torch::sigmoid(model->forward(batch));  // (B)
        return torch::sigmoid((model->forward(batch) + model->forward(batch.flip({3}))) / 2);
      },
      torch::empty({0}, torch::kFloat64));
}

ClassifierTrainResult train_classifier(const ClassifierTrainOptions& options, const LabelledImages& all_train) {
  check_options(options);
  const auto device = parse_device(options.device);
  seed_everything(options.seed);

  // Early stopping holds out part of the training images; the validation side is never seen here.
  LabelledImages train = all_train, holdout;
  if (options.early_stopping_fraction > 0)
    std::tie(train, holdout) = stratified_holdout(all_train, options.early_stopping_fraction, options.seed);
  const int64_t n = train.size(), n_pos = train.positives(), n_neg = n - n_pos;
  if (n_pos == 0 || n_neg == 0)
    fail(ErrorCode::invalid_argument, "train-classifier: expected training images of both classes, got " +
         std::to_string(n_pos) + " positive and " + std::to_string(n_neg) + " negative. Hint: add real training "
         "images or a --synthetic folder for the missing class.");
  if (train.images.size(2) != options.model.image_size)
    fail(ErrorCode::invalid_argument, "train-classifier: images are " + std::to_string(train.images.size(2)) +
         " pixels but the model expects " + std::to_string(options.model.image_size));

  ClassifierTrainResult result;
  result.train_count = n;
  result.holdout_count = holdout.size();
  result.model = models::Classifier(options.model);
  auto& model = result.model;
  model->to(device);
  auto params = models::trainable_parameters(model);
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  if (options.optimizer == "adam")
    optimizer = std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(options.lr).weight_decay(options.weight_decay));
  else
    optimizer = std::make_unique<torch::optim::SGD>(
        params, torch::optim::SGDOptions(options.lr).momentum(0.9).nesterov(true).weight_decay(options.weight_decay));
  // Balanced BCE: each class contributes half of the loss whatever its share of the training set.
  const double w_pos = options.balance_classes ? 0.5 * n / n_pos : 1.0;
  const double w_neg = options.balance_classes ? 0.5 * n / n_neg : 1.0;

  log_info("[classifier] arch " + options.model.arch + " width " + std::to_string(options.model.width) + ", " +
           std::to_string(models::parameter_count(model)) + " parameters, " + std::to_string(n) + " training images (" +
           std::to_string(n_pos) + " positive), " + std::to_string(holdout.size()) + " held out, device " + device.str());

  double best_loss = std::numeric_limits<double>::infinity();
  std::vector<char> best_weights;
  int since_best = 0;
  const auto images = train.images, labels = train.labels;  // (N, 1, S, S), (N) on the CPU
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    ClassifierEpoch log;
    log.epoch = epoch + 1;
    log.lr = lr_at(options, epoch);
    set_lr(*optimizer, log.lr);
    model->train();
    auto order = torch::randperm(n, torch::kLong);
    double loss_sum = 0;
    int64_t seen = 0;
    for (int64_t start = 0; start < n; start += options.batch_size) {
      auto idx = order.slice(0, start, std::min<int64_t>(start + options.batch_size, n));
      if (idx.size(0) < 2) continue;  // batch norm cannot train on one image
      auto x = rand_classifier_augment(images.index_select(0, idx), options.augment).to(device);  // (B, 1, S, S)
      auto y = labels.index_select(0, idx).to(device);                                            // (B)
      auto weight = y * w_pos + (1 - y) * w_neg;                                                  // (B)
      auto loss = torch::binary_cross_entropy_with_logits(model->forward(x), y, weight);
      const double value = loss.item<double>();
      if (!std::isfinite(value))
        fail(ErrorCode::numerical, "train-classifier: non-finite loss at epoch " + std::to_string(epoch + 1) +
             ", batch starting at " + std::to_string(start) + ". Hint: lower --lr.");
      optimizer->zero_grad();
      loss.backward();
      optimizer->step();
      loss_sum += value * static_cast<double>(idx.size(0));
      seen += idx.size(0);
    }
    log.train_loss = seen > 0 ? loss_sum / static_cast<double>(seen) : std::nan("");
    std::string line = "[classifier] epoch " + std::to_string(epoch + 1) + "/" + std::to_string(options.epochs) +
                       " lr " + std::to_string(log.lr) + " train loss " + std::to_string(log.train_loss);
    if (holdout.size() > 0) {
      std::tie(log.holdout_loss, log.holdout_accuracy) = evaluate_loss(model, holdout, device);
      line += " held-out loss " + std::to_string(log.holdout_loss) + " acc " + std::to_string(log.holdout_accuracy);
      if (log.holdout_loss < best_loss) {
        best_loss = log.holdout_loss;
        best_weights = snapshot(model);
        result.best_epoch = epoch + 1;
        since_best = 0;
      } else if (++since_best >= options.patience) {
        result.history.push_back(log);
        log_info(line + " (stopping: no improvement for " + std::to_string(options.patience) + " epochs)");
        result.stopped_early = true;
        break;
      }
    } else {
      result.best_epoch = epoch + 1;
    }
    log_info(line);
    result.history.push_back(log);
  }
  if (!best_weights.empty()) restore(model, best_weights);
  model->eval();
  return result;
}

}  // namespace osgan
