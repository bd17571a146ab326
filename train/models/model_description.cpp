// musictag-train --describe-model: a model's steps with their output shapes and parameters, and the exact total.
#include "train/models/model_description.h"

#include <torch/torch.h>

#include <iomanip>
#include <map>
#include <sstream>
#include <vector>

namespace musictag::train {
namespace {

std::string shape_of(const torch::Tensor& t) {
  std::string text = "[";
  for (int64_t d = 0; d < t.dim(); ++d) text += (d ? ", " : "") + std::to_string(t.size(d));
  return text + "]";
}

// 12104244 -> "12,104,244".
std::string with_commas(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string describe_model(TaggingModelImpl& model, const std::string& description) {
  std::map<std::string, int64_t> child_parameters;
  for (const auto& child : model.named_children()) {
    int64_t count = 0;
    for (const auto& p : child.value()->parameters()) count += p.numel();
    child_parameters[child.key()] = count;
  }
  std::vector<std::pair<std::string, std::string>> steps;
  model.shape_probe = [&steps](const std::string& step, const torch::Tensor& output) {
    steps.emplace_back(step, shape_of(output));
  };
  const bool was_training = model.is_training();
  model.eval();
  {
    torch::NoGradGuard no_grad;
    model.forward(torch::zeros(model.input_shape(1)));
  }
  model.train(was_training);
  model.shape_probe = nullptr;

  std::ostringstream out;
  out << model.kind() << ": " << description << "\n";
  if (model.input() == ModelInput::waveform)
    out << "input [1, " << model.n_samples() << " samples] at " << model.sample_rate() << " Hz, ";
  else
    out << "input [1, " << model.n_mels() << " mels, " << model.n_frames() << " frames], ";
  out << model.n_tags() << " tags; options " << model.options_json().dump() << "\n";
  out << "  " << std::left << std::setw(20) << "step" << std::setw(26) << "output shape" << std::right << std::setw(14)
      << "parameters"
      << "\n";
  int64_t listed = 0;
  for (const auto& [step, shape] : steps) {
    int64_t count = 0;
    std::stringstream parts(step);
    for (std::string part; std::getline(parts, part, '+');) {
      const auto found = child_parameters.find(part);
      if (found != child_parameters.end()) count += found->second;
      if (found != child_parameters.end()) child_parameters.erase(found);  // a child counts once
    }
    listed += count;
    out << "  " << std::left << std::setw(20) << step << std::setw(26) << shape << std::right << std::setw(14)
        << with_commas(count) << "\n";
  }
  const int64_t total = model.parameter_count();
  if (listed != total)
    out << "  " << std::left << std::setw(46) << "(in no listed step)" << std::right << std::setw(14)
        << with_commas(total - listed) << "\n";
  out << "trainable parameters: " << with_commas(total) << " (" << total << ")\n";
  return out.str();
}

}  // namespace musictag::train
