// The waveform kinds and a log-mel kind on the device frontend against their PyTorch twins (python/musictag,
// fixture by scripts/dev/make_zoo_fixture.py): the buffers each side derives from the options (windows, mel and
// harmonic centre and bin frequencies), then state names, logits, loss, gradients (Q's included) and running
// statistics as for every zoo kind (twin_check.h: 1e-5 abs + 1e-5 rel, single-threaded).
#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <iostream>

#include "tensor_fixture.h"
#include "train/models/model_registry.h"
#include "twin_check.h"

namespace musictag::train {
namespace {

bool is_running_statistic(const std::string& name) {
  return name.find("running_") != std::string::npos || name.find("num_batches_tracked") != std::string::npos;
}

class WaveformTwin : public ::testing::TestWithParam<std::string> {};

TEST_P(WaveformTwin, MatchesPyTorch) {
  at::set_num_threads(1);
  const test::TensorCase c = test::load_tensor_case(test::fixture_dir("zoo"), GetParam());
  const TaggingModel model = make_model(c.info.at("kind").get<std::string>(), c.info.at("options"));
  EXPECT_EQ(model->input(), ModelInput::waveform);
  EXPECT_EQ(model->input_shape(c.info.at("batch").get<int64_t>()), c.at("input").sizes().vec());

  // What both sides compute from the options, before the twin check loads the fixture's state over it.
  int64_t derived = 0;
  for (const auto& item : model->named_buffers()) {
    if (is_running_statistic(item.key())) continue;
    const auto closeness = test::compare(item.value(), c.at("state/" + item.key()), 1e-6, 1e-6);
    EXPECT_TRUE(closeness.ok) << item.key() << ": max |C++ - PyTorch| " << closeness.max_abs;
    std::cout << GetParam() << ": buffer " << item.key() << " max |C++ - PyTorch| " << closeness.max_abs << "\n";
    ++derived;
  }
  if (GetParam() != "sample_cnn" && GetParam() != "sample_cnn_se") {
    EXPECT_GE(derived, 1);
  }
  test::expect_matches_twin(*model, c, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Kinds, WaveformTwin,
                         ::testing::Values("sample_cnn", "sample_cnn_se", "harmonic_cnn", "short_chunk_cnn_logmel"));

}  // namespace
}  // namespace musictag::train
