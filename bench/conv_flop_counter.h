// Counts the floating-point operations of the convolutions that actually run, by observing ATen's operator calls
// (RecordFunction): LibTorch C++ has no module forward hooks, and a count from the architecture written out by hand
// would drift from the model. Every Conv2d, SNConv2d and ConvTranspose2d of osgan ends in aten::convolution, and
// autograd's ConvolutionBackward0 in aten::convolution_backward, whose output_mask says which gradients it computes.
// Constraint: the observer boxes the inputs of every op while it is active, so count on steps that are not timed.
#pragma once
#include <ATen/record_function.h>

#include <atomic>
#include <cstdint>
#include <cstring>

namespace osgan::bench {

// Flops of one direct convolution, a multiply-add counted as 2 (bias, padding zeros and the activation ignored):
//   conv2d          input (N, C_in, H, W), weight (C_out, C_in/groups, kH, kW), output (N, C_out, H_out, W_out):
//                   2 * N * C_out * H_out * W_out * (C_in/groups * kH * kW)
//   conv_transpose  input (N, C_in, H, W), weight (C_in, C_out/groups, kH, kW): every input element is scattered to
//                   C_out/groups * kH * kW outputs, so 2 * N * C_in * H * W * (C_out/groups * kH * kW)
// The gradient to the input (a convolution of the output gradient with the weight) and the gradient to the weight
// (a correlation of the input with the output gradient) each cost the same multiply-adds as the forward.
struct ConvFlops {
  std::int64_t forward = 0, backward_input = 0, backward_weight = 0;
  std::int64_t forward_calls = 0, backward_calls = 0;
  std::int64_t total() const { return forward + backward_input + backward_weight; }
};

// Usage: { ConvFlopCounter counter;  gan.train_step(real);  ConvFlops f = counter.flops(); }
// One counter at a time (the counts are process-wide, so that convolutions on any thread are seen).
class ConvFlopCounter {
 public:
  ConvFlopCounter() {
    reset();
    handle_ = at::addGlobalCallback(at::RecordFunctionCallback(&on_start, &on_end)
                                        .needsInputs(true)
                                        .scopes({at::RecordScope::FUNCTION}));
  }
  ~ConvFlopCounter() { at::removeCallback(handle_); }
  ConvFlopCounter(const ConvFlopCounter&) = delete;
  ConvFlopCounter& operator=(const ConvFlopCounter&) = delete;

  ConvFlops flops() const {
    ConvFlops f;
    f.forward = forward_;
    f.backward_input = backward_input_;
    f.backward_weight = backward_weight_;
    f.forward_calls = forward_calls_;
    f.backward_calls = backward_calls_;
    return f;
  }
  void reset() {
    forward_ = backward_input_ = backward_weight_ = forward_calls_ = backward_calls_ = 0;
  }

 private:
  // Multiply-adds of the forward of one convolution, times 2, from the tensors it reads:
  // out_or_in is the output (N, C_out, H_out, W_out) for conv2d, the input (N, C_in, H, W) for conv_transpose;
  // weight.numel() / weight.size(0) is C_in/groups * kH * kW (conv2d) or C_out/groups * kH * kW (transpose).
  static std::int64_t forward_flops(std::int64_t out_or_in_numel, const at::Tensor& weight) {
    return 2 * out_or_in_numel * (weight.numel() / weight.size(0));
  }

  // aten::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)
  static std::int64_t convolution_flops(c10::ArrayRef<const c10::IValue> in) {
    const auto& input = in[0].toTensor();
    const auto& weight = in[1].toTensor();
    if (in[6].toBool()) return forward_flops(input.numel(), weight);
    // stride, padding and dilation arrive as given to conv2d: one value for every spatial dim, or one per dim.
    const auto stride = in[3].toIntVector(), padding = in[4].toIntVector(), dilation = in[5].toIntVector();
    const auto at_dim = [](const std::vector<std::int64_t>& v, std::size_t d) { return v.size() == 1 ? v[0] : v[d]; };
    std::int64_t out_numel = input.size(0) * weight.size(0);  // N * C_out
    for (std::int64_t d = 2; d < input.dim(); ++d) {           // * H_out * W_out
      const auto i = static_cast<std::size_t>(d - 2);
      const std::int64_t k = weight.size(d);
      out_numel *= (input.size(d) + 2 * at_dim(padding, i) - at_dim(dilation, i) * (k - 1) - 1) / at_dim(stride, i) + 1;
    }
    return forward_flops(out_numel, weight);
  }

  static std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
    const char* name = fn.name();
    const bool is_forward = std::strcmp(name, "aten::convolution") == 0;
    const bool is_backward = std::strcmp(name, "aten::convolution_backward") == 0;
    if (!is_forward && !is_backward) return nullptr;
    // A backend may call aten::convolution inside another counted op: count the outermost call only.
    if (depth_++ > 0) return nullptr;
    const auto in = fn.inputs();
    if (is_forward) {
      forward_ += convolution_flops(in);
      ++forward_calls_;
      return nullptr;
    }
    // aten::convolution_backward(grad_output, input, weight, bias_sizes, stride, padding, dilation, transposed,
    //                            output_padding, groups, output_mask[3] = {grad input, grad weight, grad bias})
    const auto& grad_output = in[0].toTensor();
    const auto& input = in[1].toTensor();
    const auto& weight = in[2].toTensor();
    const auto mask = in[10].toBoolList();
    const std::int64_t f = forward_flops(in[7].toBool() ? input.numel() : grad_output.numel(), weight);
    if (mask.get(0)) backward_input_ += f;
    if (mask.get(1)) backward_weight_ += f;
    ++backward_calls_;
    return nullptr;
  }

  static void on_end(const at::RecordFunction& fn, at::ObserverContext*) {
    const char* name = fn.name();
    if (std::strcmp(name, "aten::convolution") == 0 || std::strcmp(name, "aten::convolution_backward") == 0) --depth_;
  }

  at::CallbackHandle handle_ = 0;
  static inline std::atomic<std::int64_t> forward_{0}, backward_input_{0}, backward_weight_{0};
  static inline std::atomic<std::int64_t> forward_calls_{0}, backward_calls_{0};
  static inline thread_local int depth_ = 0;
};

}  // namespace osgan::bench
