// measure_breakdown: pread, H5Dread_chunk, H5Dread, Fletcher32, the direct read, widening, crop copy, allocation, each
// timed alone.
#include "bench/loader_breakdown.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>

#include "bench/loader_floor.h"
#include "cluster/errors.h"
#include "preprocess/format/fletcher32.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/part_reader.h"
#include "train/data/batch_tensors.h"
#include "train/data/streaming_widen.h"

namespace musictag::bench {
namespace {

using Clock = std::chrono::steady_clock;

// An open file descriptor, closed on destruction.
class FileDescriptor {
 public:
  explicit FileDescriptor(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY)) {
    if (fd_ < 0) throw DataError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  }
  ~FileDescriptor() { ::close(fd_); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Microseconds per call of step(i), i cycling over [0, count): passes repeated until min_seconds, best of reps.
double microseconds_per_item(int64_t count, double min_seconds, int reps, const std::function<void(int64_t)>& step) {
  double best = 0;
  for (int rep = 0; rep < std::max(1, reps); ++rep) {
    int64_t calls = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
      for (int64_t i = 0; i < count; ++i) step(i);
      calls += count;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < min_seconds);
    const double us = 1e6 * elapsed / static_cast<double>(calls);
    best = rep == 0 ? us : std::min(best, us);
  }
  return best;
}

}  // namespace

ReadBreakdown measure_breakdown(const train::DataIndex& index, const std::vector<int64_t>& frames, int64_t batch,
                                bool pinned, int64_t examples, double min_seconds, int reps) {
  const int64_t count = std::min(examples, index.size());
  const int64_t n_mels = index.rows(), stored = index.columns();
  const auto values = static_cast<size_t>(n_mels * stored);
  std::vector<std::unique_ptr<RawMelReader>> raw;
  std::vector<std::unique_ptr<FileDescriptor>> files;
  std::vector<std::unique_ptr<preprocess::PartReader>> readers;
  for (const std::string& path : index.part_paths()) {
    raw.push_back(std::make_unique<RawMelReader>(path));
    files.push_back(std::make_unique<FileDescriptor>(path));
    readers.push_back(std::make_unique<preprocess::PartReader>(path));
  }
  std::vector<RawMelReader::Location> locations;
  ReadBreakdown result;
  result.filters = raw.front()->filters();
  std::vector<unsigned char> stored_bytes;
  result.checksum_matches = result.filters.find("fletcher32") != std::string::npos;
  for (int64_t i = 0; i < count; ++i) {
    const train::ExampleRef& e = index.example(i);
    locations.push_back(raw[static_cast<size_t>(e.part)]->locate(e.row));
    result.stored_bytes += static_cast<double>(locations.back().bytes) / static_cast<double>(count);
    const size_t bytes = raw[static_cast<size_t>(e.part)]->read_stored_chunk(e.row, stored_bytes);
    if (result.checksum_matches && bytes > 4) {
      const unsigned char* tail = stored_bytes.data() + bytes - 4;  // UINT32ENCODE: little-endian
      const uint32_t kept = tail[0] | (tail[1] << 8) | (tail[2] << 16) | (static_cast<uint32_t>(tail[3]) << 24);
      result.checksum_matches = preprocess::fletcher32_reference(stored_bytes.data(), bytes - 4) == kept &&
                                preprocess::fletcher32(stored_bytes.data(), bytes - 4) == kept;
    }
  }

  std::vector<unsigned char> chunk(stored_bytes.size() + 4096);
  result.pread_us = microseconds_per_item(count, min_seconds, reps, [&](int64_t i) {
    const auto& location = locations[static_cast<size_t>(i)];
    const int fd = files[static_cast<size_t>(index.example(i).part)]->get();
    if (::pread(fd, chunk.data(), location.bytes, static_cast<off_t>(location.offset)) !=
        static_cast<ssize_t>(location.bytes))
      throw DataError(fmt::format("pread of example {} failed: {}", i, std::strerror(errno)));
  });
  result.read_chunk_us = microseconds_per_item(count, min_seconds, reps, [&](int64_t i) {
    const train::ExampleRef& e = index.example(i);
    raw[static_cast<size_t>(e.part)]->read_stored_chunk(e.row, chunk);
  });
  std::vector<uint16_t> halves(values);
  result.h5dread_us = microseconds_per_item(count, min_seconds, reps, [&](int64_t i) {
    const train::ExampleRef& e = index.example(i);
    raw[static_cast<size_t>(e.part)]->read_rows(e.row, 1, halves.data());
  });
  volatile uint32_t sink = 0;
  const size_t checked =
      static_cast<size_t>(result.stored_bytes) > 4 ? static_cast<size_t>(result.stored_bytes) - 4 : 0;
  result.fletcher_us = microseconds_per_item(count, min_seconds, reps, [&](int64_t) {
    sink = sink + preprocess::fletcher32_reference(stored_bytes.data(), std::min(checked, stored_bytes.size()));
  });
  result.fletcher_fast_us = microseconds_per_item(count, min_seconds, reps, [&](int64_t) {
    sink = sink + preprocess::fletcher32(stored_bytes.data(), std::min(checked, stored_bytes.size()));
  });
  result.direct = readers.front()->reads_chunks_directly();
  result.direct_read_us = microseconds_per_item(count, min_seconds, reps, [&](int64_t i) {
    const train::ExampleRef& e = index.example(i);
    readers[static_cast<size_t>(e.part)]->read_examples_float16(e.row, 1, halves.data());
  });
  std::vector<float> widened(values);
  result.widen_us = microseconds_per_item(
      count, min_seconds, reps, [&](int64_t) { preprocess::halves_to_floats(halves.data(), widened.data(), values); });
  {
    // As the loader writes whole float32 examples: 6 batches in turn (a prefetch window of 4, the one being built,
    // the consumer's), so the destination is not in the core's caches, with train::widen_streaming.
    std::vector<at::Tensor> batches;
    for (int k = 0; k < 6; ++k) batches.push_back(at::empty({batch, n_mels, stored}, at::kFloat));
    int64_t written = 0;
    result.widen_batch_us = microseconds_per_item(count, min_seconds, reps, [&](int64_t) {
      float* out = batches[static_cast<size_t>((written / batch) % 6)].data_ptr<float>();
      train::widen_streaming(halves.data(), out + (written % batch) * static_cast<int64_t>(values), values);
      ++written;
    });
  }
  result.part_reader_us = microseconds_per_item(count, min_seconds, reps, [&](int64_t i) {
    const train::ExampleRef& e = index.example(i);
    readers[static_cast<size_t>(e.part)]->read_examples(e.row, 1, widened.data());
  });
  for (const int64_t f : frames) {
    std::vector<float> target(static_cast<size_t>(n_mels * f));
    const int64_t offset = (stored - f) / 2;
    result.frames.push_back(f);
    result.crop_us.push_back(microseconds_per_item(count, min_seconds, reps, [&](int64_t) {
      for (int64_t m = 0; m < n_mels; ++m)
        std::memcpy(target.data() + m * f, widened.data() + m * stored + offset,
                    static_cast<size_t>(f) * sizeof(float));
    }));
  }
  const int64_t batches = std::max<int64_t>(1, count / batch);
  result.allocate_us = microseconds_per_item(batches, min_seconds, reps,
                                             [&](int64_t) {
                                               train::Batch b =
                                                   train::allocate_batch(batch, n_mels, stored, index.n_tags(), pinned);
                                               auto* bytes = static_cast<volatile char*>(b.input.data_ptr());
                                               for (size_t page = 0; page < b.input.nbytes(); page += 4096)
                                                 bytes[page] = 0;
                                             }) /
                       static_cast<double>(batch);
  return result;
}

}  // namespace musictag::bench
