// Named classifier recipes (ClassifierTrainOptions starting points; the study and train-classifier use them):
//   "cpu"              ResNet-18 V2 at width 0.25, 64 px, style augmentation (resized crop, bias field, gamma,
//                      contrast, blur, noise), 25 epochs, test-time flips: chosen for transfer to other sites on the
//                      development data alone (docs/classifier.md).
//   "plain"            the same network, 8 epochs, no style augmentation: osgan's earlier recipe, kept to compare.
//   "seed-resnet152v2" the seed project's classifier: ResNet152 V2 at full width, 128 px, the head
//                      flatten -> dense 256 -> dropout 0.5 -> dense 1, Adam 1e-4, 30 epochs, early stopping on a
//                      part of the training side. From scratch: no ImageNet weights can be downloaded here.
#pragma once
#include <string>
#include <vector>

#include "osgan/train/classifier_trainer.h"

namespace osgan {

// Throws osgan::Error (invalid_argument) listing the names for an unknown one.
ClassifierTrainOptions classifier_preset(const std::string& name);
std::vector<std::string> classifier_preset_names();

}  // namespace osgan
