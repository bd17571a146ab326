// Every model-zoo kind against its PyTorch twin (python/musictag, fixture by scripts/dev/make_zoo_fixture.py) on
// the same libtorch: state names and order, eval and train logits, loss, every gradient, updated running statistics.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include "tensor_fixture.h"
#include "train/models/model_registry.h"
#include "twin_check.h"

namespace musictag::train {
namespace {

class ModelZooTwin : public ::testing::TestWithParam<std::string> {};

TEST_P(ModelZooTwin, MatchesPyTorch) {
  at::set_num_threads(1);
  const test::TensorCase c = test::load_tensor_case(test::fixture_dir("zoo"), GetParam());

  // Built from the options exactly as a checkpoint stores them.
  const TaggingModel model = make_model(c.info.at("kind").get<std::string>(), c.info.at("options"));
  test::expect_matches_twin(*model, c, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Kinds, ModelZooTwin,
                         ::testing::Values("fcn", "musicnn", "crnn_won", "short_chunk_cnn", "short_chunk_resnet",
                                           "self_attention"));

}  // namespace
}  // namespace musictag::train
