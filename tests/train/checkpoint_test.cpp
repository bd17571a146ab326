// save_checkpoint / load_*: a bit-exact round trip of Crnn + Adam + RNG, metadata, and corrupt files as DataError.
#include <gtest/gtest.h>

#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>

#include <ATen/CPUGeneratorImpl.h>

#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "checkpoint_test_support.h"
#include "cluster/errors.h"
#include "cluster/files.h"
#include "train/checkpoint.h"
#include "train/models/crnn_config.h"
#include "train/optimizer.h"

namespace musictag::train {
namespace {

CrnnOptions small_options() {
  return CrnnOptions(3).n_mels(8).n_frames(16).conv_channels({4, 6}).pool_sizes({{2, 2}, {2, 2}}).gru_hidden(5);
}

// One training step in train mode (dropout draws from the default CPU generator).
void train_step(Crnn& model, torch::optim::Optimizer& optimizer, int64_t k) {
  torch::manual_seed(1000 + k);  // the batch itself; dropout then continues from the restored generator
  const auto input = torch::randn({4, 8, 16});
  const auto target = (torch::arange(12).reshape({4, 3}) % (k + 2) == 0).to(torch::kFloat);
  optimizer.zero_grad();
  torch::nn::functional::binary_cross_entropy_with_logits(model->forward(input), target).backward();
  optimizer.step();
}

// Same as train_step but the batch comes from a separate generator, so dropout sees the global state as it is.
void train_step_keeping_rng(Crnn& model, torch::optim::Optimizer& optimizer) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(77);
  const auto input = torch::randn({4, 8, 16}, generator);
  const auto target = torch::ones({4, 3});
  optimizer.zero_grad();
  torch::nn::functional::binary_cross_entropy_with_logits(model->forward(input), target).backward();
  optimizer.step();
}

// Every parameter and buffer by name, copied (so later steps of the model do not change it).
std::vector<std::pair<std::string, at::Tensor>> snapshot(const TaggingModelImpl& model) {
  std::vector<std::pair<std::string, at::Tensor>> tensors;
  for (const auto& item : model.named_parameters()) tensors.emplace_back(item.key(), item.value().detach().clone());
  for (const auto& item : model.named_buffers()) tensors.emplace_back(item.key(), item.value().detach().clone());
  return tensors;
}

void expect_bitwise_equal(const std::vector<std::pair<std::string, at::Tensor>>& a,
                          const std::vector<std::pair<std::string, at::Tensor>>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_TRUE(torch::equal(a[i].second, b[i].second)) << a[i].first;
  }
}

void expect_bitwise_equal_models(const TaggingModelImpl& a, const TaggingModelImpl& b) {
  expect_bitwise_equal(snapshot(a), snapshot(b));
}

// Adam's per-parameter state in parameter order: step, exp_avg, exp_avg_sq (copied).
struct AdamSlot {
  int64_t step;
  at::Tensor exp_avg, exp_avg_sq;
};
std::vector<AdamSlot> adam_snapshot(const torch::optim::Optimizer& optimizer, const Crnn& model) {
  std::vector<AdamSlot> slots;
  for (const auto& p : model->parameters()) {
    const auto& s = static_cast<const torch::optim::AdamParamState&>(*optimizer.state().at(p.unsafeGetTensorImpl()));
    slots.push_back({s.step(), s.exp_avg().clone(), s.exp_avg_sq().clone()});
  }
  return slots;
}

CheckpointInfo sample_info() {
  CheckpointInfo info;
  info.progress.step = 2;
  info.progress.epoch = 1;
  info.progress.batch_in_epoch = 7;
  info.progress.world_size = 2;
  info.progress.best_auc = 0.8125;
  info.progress.best_epoch = 0;
  info.progress.epochs_without_improvement = 1;
  info.config_yaml = "train:\n  epochs: 3\n";
  info.features_json = R"({"sample_rate": 12000, "n_mels": 8})";
  info.tag_names = {"rock", "jazz", "électronique"};
  return info;
}

class CheckpointRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override { at::set_num_threads(1); }
};

TEST_F(CheckpointRoundTrip, ModelAdamAndRngComeBackBitwiseAndTheNextStepAgrees) {
  TempFolder folder;
  const std::string path = folder.at("checkpoint-2.pt");
  TrainConfig config;
  config.learning_rate = 0.01;
  config.weight_decay = 0.001;

  torch::manual_seed(1);
  Crnn model(small_options());
  model->train();
  auto optimizer = make_optimizer(model->parameters(), config);
  train_step(model, *optimizer, 0);
  train_step(model, *optimizer, 1);
  torch::manual_seed(42);  // dropout of the next step draws from here
  const auto rng = capture_rng_state({{"sampler_epoch_seed", 5}});
  save_checkpoint(path, *model, *optimizer, sample_info(), rng);
  EXPECT_FALSE(is_regular_file(path + kPartialSuffix));
  EXPECT_TRUE(capture_rng_state({{"sampler_epoch_seed", 5}}) == rng) << "saving must not draw random numbers";
  // The run that is not interrupted: its state at saving, and after one more step.
  const auto at_saving = snapshot(*model);
  const auto adam_at_saving = adam_snapshot(*optimizer, model);
  train_step_keeping_rng(model, *optimizer);
  const auto after_next_step = snapshot(*model);

  torch::manual_seed(2);  // different init and a different generator state
  Crnn restored(small_options());
  restored->train();
  auto restored_optimizer = make_optimizer(restored->parameters(), config);
  const auto loaded = load_checkpoint(path, *restored, *restored_optimizer);
  {
    SCOPED_TRACE("after loading");
    expect_bitwise_equal(at_saving, snapshot(*restored));
  }

  // Adam's state, parameter by parameter.
  const auto restored_adam = adam_snapshot(*restored_optimizer, restored);
  ASSERT_EQ(adam_at_saving.size(), restored_adam.size());
  for (size_t i = 0; i < restored_adam.size(); ++i) {
    EXPECT_EQ(restored_adam[i].step, 2);
    EXPECT_EQ(adam_at_saving[i].step, restored_adam[i].step);
    EXPECT_TRUE(torch::equal(adam_at_saving[i].exp_avg, restored_adam[i].exp_avg)) << i;
    EXPECT_TRUE(torch::equal(adam_at_saving[i].exp_avg_sq, restored_adam[i].exp_avg_sq)) << i;
  }
  EXPECT_TRUE(loaded.rng == rng);
  EXPECT_EQ(loaded.metadata.info.rng_counters.at("sampler_epoch_seed"), 5);
  EXPECT_TRUE(loaded.metadata.info.progress == sample_info().progress);

  // One more step from both, each from the generator state at saving: bitwise equal parameters.
  restore_rng_state(loaded.rng);
  train_step_keeping_rng(restored, *restored_optimizer);
  SCOPED_TRACE("after one more step from both");
  expect_bitwise_equal(after_next_step, snapshot(*restored));
}

TEST_F(CheckpointRoundTrip, MetadataAndWeightsLoadWithoutTheOptimizer) {
  TempFolder folder;
  const std::string path = folder.at("c.pt");
  torch::manual_seed(3);
  Crnn model(small_options());
  torch::optim::Adam adam(model->parameters());
  save_checkpoint(path, *model, adam, sample_info(), capture_rng_state());

  const auto meta = load_checkpoint_metadata(path);
  EXPECT_EQ(meta.format_version, kCheckpointFormatVersion);
  EXPECT_EQ(meta.info.config_yaml, sample_info().config_yaml);
  EXPECT_EQ(meta.info.features_json, sample_info().features_json);
  EXPECT_EQ(meta.info.tag_names, sample_info().tag_names);
  EXPECT_EQ(*meta.info.progress.best_auc, 0.8125);
  EXPECT_EQ(meta.model_kind, "crnn");
  const auto o = crnn_options_from_json(meta.model_options);
  EXPECT_EQ(o.n_tags(), 3);
  EXPECT_EQ(o.n_mels(), 8);
  EXPECT_EQ(o.n_frames(), 16);
  EXPECT_EQ(o.conv_channels(), (std::vector<int64_t>{4, 6}));
  EXPECT_EQ(o.pool_sizes(), (std::vector<PoolSize>{{2, 2}, {2, 2}}));
  EXPECT_EQ(o.gru_hidden(), 5);
  EXPECT_EQ(o.gru_layers(), 2);
  EXPECT_EQ(o.conv_dropout(), 0.1);

  TaggingModel fresh = meta.build_model();  // what eval and predict do
  load_model_weights(path, *fresh);
  expect_bitwise_equal_models(*model, *fresh);

  Crnn other(CrnnOptions(small_options()).gru_hidden(6));
  try {
    load_model_weights(path, *other);
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("gru."), std::string::npos) << e.what();
  }
}

std::string data_error_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no DataError)";
}

TEST_F(CheckpointRoundTrip, TruncatedMissingOrForeignFilesAreDataErrorsNamingTheFile) {
  TempFolder folder;
  const std::string good = folder.at("good.pt"), cut = folder.at("cut.pt");
  Crnn model(small_options());
  torch::optim::Adam adam(model->parameters());
  save_checkpoint(good, *model, adam, sample_info(), capture_rng_state());
  const std::string bytes = read_whole_file(good);
  for (const size_t keep : {bytes.size() / 2, bytes.size() - 30, size_t{0}}) {
    std::ofstream(cut, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(keep));
    EXPECT_NE(data_error_of([&] { load_checkpoint_metadata(cut); }).find(cut), std::string::npos) << keep;
    EXPECT_NE(data_error_of([&] { load_model_weights(cut, *model); }).find(cut), std::string::npos) << keep;
    EXPECT_NE(data_error_of([&] { load_checkpoint(cut, *model, adam); }).find(cut), std::string::npos) << keep;
  }
  const std::string missing = folder.at("missing.pt");
  EXPECT_NE(data_error_of([&] { load_checkpoint_metadata(missing); }).find(missing + ": checkpoint file not found"),
            std::string::npos);
  const std::string text = folder.at("text.pt");
  std::ofstream(text) << "not a zip";
  EXPECT_NE(data_error_of([&] { load_checkpoint_metadata(text); }).find(text), std::string::npos);
}

TEST(CheckpointMetadata, StoresKindAndOptionsAndReadsVersion1AsCrnn) {
  torch::manual_seed(5);
  Crnn model(small_options());
  const nlohmann::json current = metadata_to_json(sample_info(), *model);
  EXPECT_EQ(current.at("format_version"), 2);
  EXPECT_EQ(current.at("model").at("kind"), "crnn");
  EXPECT_EQ(current.at("model").at("options"), crnn_options_to_json(small_options()));

  // A checkpoint written before model kinds: format 1 with the CRNN's options under "model_options".
  nlohmann::json old = current;
  old["format_version"] = 1;
  old["model_options"] = old.at("model").at("options");
  old.erase("model");
  const auto meta = metadata_from_json(old.dump(), "old.pt");
  EXPECT_EQ(meta.model_kind, "crnn");
  EXPECT_EQ(meta.model_options, current.at("model").at("options"));
  EXPECT_EQ(meta.build_model()->parameter_count(), model->parameter_count());

  nlohmann::json foreign = current;
  foreign["model"]["kind"] = "transformer9000";
  const std::string message = data_error_of([&] { metadata_from_json(foreign.dump(), "foreign.pt"); });
  EXPECT_NE(message.find("foreign.pt: model.kind: unknown model kind 'transformer9000'; known kinds: crnn, fcn"),
            std::string::npos)
      << message;
  nlohmann::json future = current;
  future["format_version"] = 3;
  EXPECT_NE(data_error_of([&] { metadata_from_json(future.dump(), "future.pt"); }).find("format version 3"),
            std::string::npos);
}

}  // namespace
}  // namespace musictag::train
