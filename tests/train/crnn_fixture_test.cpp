// Crnn against its PyTorch twin (scripts/dev/make_crnn_fixture.py) on the same libtorch: names, logits, gradients.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include "tensor_fixture.h"
#include "train/models/crnn.h"
#include "twin_check.h"

namespace musictag::train {
namespace {

CrnnOptions options_of(const nlohmann::json& model) {
  std::vector<PoolSize> pools;
  for (const auto& p : model.at("pool_sizes")) pools.push_back({p.at(0).get<int64_t>(), p.at(1).get<int64_t>()});
  return CrnnOptions(model.at("n_tags").get<int64_t>())
      .n_mels(model.at("n_mels").get<int64_t>())
      .conv_channels(model.at("conv_channels").get<std::vector<int64_t>>())
      .pool_sizes(pools)
      .gru_hidden(model.at("gru_hidden").get<int64_t>())
      .gru_layers(model.at("gru_layers").get<int64_t>())
      .conv_dropout(model.at("conv_dropout").get<double>())
      .gru_dropout(model.at("gru_dropout").get<double>())
      .sequence_norm(model.value("sequence_norm", false));
}

class CrnnFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(CrnnFixture, MatchesPyTorch) {
  at::set_num_threads(1);
  const test::TensorCase c = test::load_tensor_case(test::fixture_dir("crnn"), GetParam());

  Crnn model(options_of(c.info.at("model")));
  test::expect_matches_twin(*model, c, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Cases, CrnnFixture, ::testing::Values("paper_pools", "folded_freq", "sequence_norm"));

}  // namespace
}  // namespace musictag::train
