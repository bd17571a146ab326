// Informal loader throughput (not a test): a random 96x1366 part, crop 256, batch 16, against one bare PartReader.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <unistd.h>

#include "data_test_support.h"
#include "preprocess/format/part_reader.h"
#include "train/data/batch_loader.h"

using namespace musictag;

// Usage: batch_loader_timing [threads=2] [batches=200] [tracks=256]. Prints the loader's batches/s and the ratio
// to reading the same number of examples with one PartReader::read_mel each (the HDF5 + float16 floor).
int main(int argc, char** argv) {
  const int64_t threads = argc > 1 ? std::atoll(argv[1]) : 2;
  const int64_t batches = argc > 2 ? std::atoll(argv[2]) : 200;
  const int64_t tracks = argc > 3 ? std::atoll(argv[3]) : 256;
  const std::string root =
      (std::filesystem::temp_directory_path() / ("musictag-loader-timing-" + std::to_string(::getpid()))).string();
  train::testing::remove_tree(root);

  train::testing::DatasetSpec spec;
  spec.n_mels = 96;
  spec.segment_seconds = 29.12;  // 1366 frames
  spec.tag_names = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
  spec.parts.emplace_back();
  for (int64_t t = 0; t < tracks; ++t) spec.parts.back().push_back({t, {1}});
  auto start = std::chrono::steady_clock::now();
  const auto data = train::testing::write_test_dataset(root, spec);
  const double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("wrote %lld examples of 96x%lld (%.0f MB float16) in %.2f s\n", static_cast<long long>(tracks),
              static_cast<long long>(data.n_frames), std::filesystem::file_size(data.part_files[0]) / 1e6, write_s);

  auto index = std::make_shared<const train::DataIndex>(train::DataIndex::open(root, "training"));
  train::DataConfig config;
  config.dataset = root;
  config.input_frames = 256;
  config.loader_threads = threads;
  config.variants = train::VariantPolicy::all;
  train::BatchLoader loader(index, config, {train::LoaderMode::training, 16});

  // Warm the page cache and the parts' open handles once.
  loader.start_epoch(0);
  while (loader.next()) {
  }
  int64_t delivered = 0;
  const double wait_before = loader.wait_seconds();
  start = std::chrono::steady_clock::now();
  for (int64_t epoch = 1; delivered < batches; ++epoch) {
    loader.start_epoch(epoch);
    while (delivered < batches && loader.next()) ++delivered;
  }
  const double loader_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  preprocess::PartReader reader(data.part_files[0]);
  std::vector<float> mel(static_cast<size_t>(reader.example_values()));
  start = std::chrono::steady_clock::now();
  for (int64_t k = 0; k < batches * 16; ++k) reader.read_example((k * 7919) % reader.size(), mel.data());
  const double reader_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf(
      "loader: %lld batches of 16x96x256 with %lld threads in %.3f s = %.1f batches/s (%.0f examples/s), "
      "consumer waited %.3f s\n",
      static_cast<long long>(delivered), static_cast<long long>(threads), loader_s, delivered / loader_s,
      16 * delivered / loader_s, loader.wait_seconds() - wait_before);
  std::printf("baseline: one PartReader, %lld random rows read_mel in %.3f s = %.1f batches/s equivalent\n",
              static_cast<long long>(batches * 16), reader_s, batches / reader_s);
  std::printf("ratio loader / single reader: %.2f\n", (delivered / loader_s) / (batches / reader_s));
  train::testing::remove_tree(root);
  return 0;
}
