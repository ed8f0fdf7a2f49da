#include "osgan/train/image_tensor.h"

#include "osgan/core/error.h"

namespace osgan {

torch::Tensor images_to_tensor(const std::vector<io::Image>& images) {
  if (images.empty()) fail(ErrorCode::invalid_argument, "images_to_tensor: no images");
  const int h = images.front().height, w = images.front().width;
  auto out = torch::empty({static_cast<int64_t>(images.size()), 1, h, w}, torch::kFloat32);  // (N, 1, H, W)
  float* dst = out.data_ptr<float>();
  for (const auto& img : images) {
    if (img.height != h || img.width != w)
      fail(ErrorCode::invalid_argument, "images_to_tensor: expected every image " + std::to_string(h) + "x" +
           std::to_string(w) + ", got " + std::to_string(img.height) + "x" + std::to_string(img.width));
    dst = std::copy(img.pixels.begin(), img.pixels.end(), dst);
  }
  return out;
}

torch::Tensor samples_to_tensor(const data::Dataset& dataset, const std::vector<std::size_t>& indices) {
  std::vector<io::Image> images;
  images.reserve(indices.size());
  for (auto i : indices) images.push_back(dataset.samples.at(i).image);
  return images_to_tensor(images);
}

io::Image tensor_to_image(const torch::Tensor& tensor) {
  auto t = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  if (t.dim() == 3) t = t.squeeze(0);
  TORCH_CHECK(t.dim() == 2, "tensor_to_image: expected (1, H, W) or (H, W), got ", t.sizes());
  io::Image img(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)));
  std::copy(t.data_ptr<float>(), t.data_ptr<float>() + t.numel(), img.pixels.begin());
  return img;
}

}  // namespace osgan
