// One checkpoint file: model weights, optimizer state, RNG state and metadata, written atomically, read in parts.
#include "train/checkpoint.h"

#include <ATen/core/Dict.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <memory>
#include <set>
#include <vector>

#include "cluster/errors.h"
#include "cluster/files.h"

namespace musictag::train {
namespace {

constexpr const char* kMetaRecord = "meta.json";
constexpr const char* kModelRecord = "model.pt";
constexpr const char* kOptimizerRecord = "optimizer.pt";
constexpr const char* kRngRecord = "rng.pt";

using TensorDict = c10::Dict<std::string, at::Tensor>;

// Runs `body`, turning libtorch's errors (corrupt zip, bad pickle, shape checks) into a DataError naming `path`.
template <class Body>
auto reading(const std::string& path, const std::string& what, Body&& body) {
  try {
    return body();
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& error) {
    throw DataError(path + ": cannot read checkpoint " + what +
                    " (truncated or corrupt?): " + error.what_without_backtrace());
  } catch (const std::exception& error) {
    throw DataError(path + ": cannot read checkpoint " + what + ": " + error.what());
  }
}

// The checkpoint's zip, opened for reading single records.
class RecordReader {
 public:
  explicit RecordReader(const std::string& path) : path_(path) {
    if (!is_regular_file(path)) throw DataError(path + ": checkpoint file not found");
    reader_ =
        reading(path, "container", [&] { return std::make_unique<caffe2::serialize::PyTorchStreamReader>(path); });
  }
  std::vector<char> record(const std::string& name) {
    return reading(path_, name, [&] {
      if (!reader_->hasRecord(name)) throw DataError(path_ + ": checkpoint has no record '" + name + "'");
      auto [data, size] = reader_->getRecord(name);
      const auto* begin = static_cast<const char*>(data.get());
      return std::vector<char>(begin, begin + size);
    });
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader_;
};

std::vector<char> model_bytes(const TaggingModelImpl& model) {
  TensorDict tensors;
  for (const auto& item : model.named_parameters(/*recurse=*/true))
    tensors.insert(item.key(), item.value().detach().cpu());
  for (const auto& item : model.named_buffers(/*recurse=*/true))
    tensors.insert(item.key(), item.value().detach().cpu());
  return torch::jit::pickle_save(tensors);
}

std::string optimizer_bytes(const torch::optim::Optimizer& optimizer) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  std::string bytes;
  archive.save_to([&](const void* data, size_t size) {
    bytes.append(static_cast<const char*>(data), size);
    return size;
  });
  return bytes;
}

std::vector<char> rng_bytes(const RngState& rng) {
  TensorDict tensors;
  if (rng.cpu.defined()) tensors.insert("cpu", rng.cpu);
  for (size_t i = 0; i < rng.cuda.size(); ++i) tensors.insert("cuda." + std::to_string(i), rng.cuda[i]);
  return torch::jit::pickle_save(tensors);
}

TensorDict tensor_dict(const std::vector<char>& bytes) {
  return c10::impl::toTypedDict<std::string, at::Tensor>(torch::jit::pickle_load(bytes).toGenericDict());
}

void copy_weights(const TensorDict& saved, TaggingModelImpl& model, const std::string& path) {
  std::set<std::string> expected;
  auto copy_one = [&](const std::string& name, at::Tensor& target) {
    expected.insert(name);
    if (!saved.contains(name)) throw DataError(path + ": checkpoint has no tensor '" + name + "' for this model");
    const at::Tensor source = saved.at(name);
    if (source.sizes() != target.sizes() || source.scalar_type() != target.scalar_type())
      throw DataError(path + ": tensor '" + name + "' is " + c10::toString(source.scalar_type()) +
                      c10::str(source.sizes()) + " in the checkpoint but " + c10::toString(target.scalar_type()) +
                      c10::str(target.sizes()) + " in the model (built with other options?)");
    torch::NoGradGuard no_grad;
    target.copy_(source);
  };
  for (auto& item : model.named_parameters(true)) copy_one(item.key(), item.value());
  for (auto& item : model.named_buffers(true)) copy_one(item.key(), item.value());
  for (const auto& entry : saved)
    if (!expected.count(entry.key()))
      throw DataError(path + ": checkpoint tensor '" + entry.key() + "' has no counterpart in the model");
}

at::Device model_device(const TaggingModelImpl& model) {
  const auto parameters = model.parameters();
  return parameters.empty() ? at::Device(at::kCPU) : parameters.front().device();
}

}  // namespace

void save_checkpoint(const std::string& path, const TaggingModelImpl& model, const torch::optim::Optimizer& optimizer,
                     const CheckpointInfo& info, const RngState& rng) {
  CheckpointInfo stored = info;
  stored.rng_counters = rng.counters;
  const std::string meta = metadata_to_json(stored, model).dump(2);
  const auto weights = model_bytes(model);
  const auto optim = optimizer_bytes(optimizer);
  const auto generators = rng_bytes(rng);

  std::string bytes;
  {
    caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, size_t size) {
      if (data == nullptr)
        bytes.append(size, '\0');  // the writer may ask for padding without data
      else
        bytes.append(static_cast<const char*>(data), size);
      return size;
    });
    writer.writeRecord(kMetaRecord, meta.data(), meta.size());
    writer.writeRecord(kModelRecord, weights.data(), weights.size());
    writer.writeRecord(kOptimizerRecord, optim.data(), optim.size());
    writer.writeRecord(kRngRecord, generators.data(), generators.size());
    writer.writeEndOfFile();
  }
  write_file_atomically(path, bytes);
}

CheckpointMetadata load_checkpoint_metadata(const std::string& path) {
  RecordReader reader(path);
  const auto text = reader.record(kMetaRecord);
  return metadata_from_json(std::string(text.begin(), text.end()), path);
}

void load_model_weights(const std::string& path, TaggingModelImpl& model) {
  RecordReader reader(path);
  const auto saved = reading(path, kModelRecord, [&] { return tensor_dict(reader.record(kModelRecord)); });
  reading(path, kModelRecord, [&] {
    copy_weights(saved, model, path);
    return 0;
  });
}

LoadedCheckpoint load_checkpoint(const std::string& path, TaggingModelImpl& model, torch::optim::Optimizer& optimizer) {
  LoadedCheckpoint loaded;
  RecordReader reader(path);
  const auto meta = reader.record(kMetaRecord);
  loaded.metadata = metadata_from_json(std::string(meta.begin(), meta.end()), path);
  const auto saved = reading(path, kModelRecord, [&] { return tensor_dict(reader.record(kModelRecord)); });
  reading(path, kModelRecord, [&] {
    copy_weights(saved, model, path);
    return 0;
  });
  const auto optim = reader.record(kOptimizerRecord);
  reading(path, kOptimizerRecord, [&] {
    torch::serialize::InputArchive archive;
    archive.load_from(optim.data(), optim.size(), model_device(model));
    optimizer.load(archive);
    return 0;
  });
  const auto generators = reading(path, kRngRecord, [&] { return tensor_dict(reader.record(kRngRecord)); });
  if (generators.contains("cpu")) loaded.rng.cpu = generators.at("cpu");
  for (size_t i = 0; generators.contains("cuda." + std::to_string(i)); ++i)
    loaded.rng.cuda.push_back(generators.at("cuda." + std::to_string(i)));
  loaded.rng.counters = loaded.metadata.info.rng_counters;
  return loaded;
}

}  // namespace musictag::train
