// Fletcher32: the vectorised kernels equal HDF5's loop on every length and pattern, and the checksums HDF5 stored in
// every chunk of log-mel and waveform parts PartWriter wrote (uncompressed and deflated).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "part_test_support.h"
#include "preprocess/format/fletcher32.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_handle.h"

namespace musictag::preprocess {
namespace {
using testing::PartFolderTest;

// Every kernel this CPU can run, by name.
std::vector<std::pair<const char*, uint32_t (*)(const void*, size_t)>> kernels() {
  std::vector<std::pair<const char*, uint32_t (*)(const void*, size_t)>> all = {{"fletcher32", fletcher32}};
#if defined(__x86_64__)
  all.emplace_back("sse2", detail::fletcher32_sse2);
  if (detail::has_avx2()) all.emplace_back("avx2", detail::fletcher32_avx2);
#endif
  return all;
}

void expect_all_equal_reference(const std::vector<unsigned char>& bytes, size_t offset, size_t length,
                                const std::string& what) {
  const uint32_t expected = fletcher32_reference(bytes.data() + offset, length);
  for (const auto& [name, kernel] : kernels())
    ASSERT_EQ(kernel(bytes.data() + offset, length), expected) << name << ", " << what << ", " << length << " bytes";
}

TEST(Fletcher32, EqualsHdf5sLoopOnRandomBytesOfEveryLength) {
  std::mt19937_64 random(15);
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 1100; ++n) lengths.push_back(n);
  // Around the SIMD block (256 steps of 32 bytes = 8 KiB, of 16 bytes = 4 KiB) and HDF5's 360-word block.
  for (const size_t base : {720u, 4096u, 8192u, 16384u, 262144u, 262148u})
    for (size_t d = 0; d < 5; ++d) lengths.push_back(base + d), lengths.push_back(base - d - 1);
  lengths.push_back(1 << 20);
  lengths.push_back((1 << 20) + 1);
  lengths.push_back(96 * 1366 * 2);  // a 96 x 1366 float16 example
  std::vector<unsigned char> bytes((1 << 20) + 8);
  for (auto& b : bytes) b = static_cast<unsigned char>(random());
  for (const size_t n : lengths) {
    for (const size_t offset : {0u, 1u, 3u}) expect_all_equal_reference(bytes, offset, n, "random");
  }
}

// Patterns where HDF5's representative matters: all zero (0), all 0xff (residues 0 read 0xffff), a single non-zero
// byte last, and words that cancel modulo 65535; also the largest sums the lanes can hold.
TEST(Fletcher32, EqualsHdf5sLoopOnExtremePatterns) {
  std::vector<size_t> lengths = {1, 2, 3, 4, 31, 32, 33, 64, 719, 720, 721, 8191, 8192, 8193, 65535, 1 << 20};
  for (const size_t n : lengths) {
    expect_all_equal_reference(std::vector<unsigned char>(n, 0), 0, n, "zeros");
    expect_all_equal_reference(std::vector<unsigned char>(n, 0xff), 0, n, "0xff");
    std::vector<unsigned char> last(n, 0);
    last.back() = 1;
    expect_all_equal_reference(last, 0, n, "one byte last");
    std::vector<unsigned char> cancelling(n, 0);
    for (size_t i = 0; i + 1 < n; i += 4) {
      cancelling[i + 1] = 0x01;                                           // word 0x0001
      if (i + 3 < n) cancelling[i + 2] = 0xff, cancelling[i + 3] = 0xfe;  // word 0xfffe
    }
    expect_all_equal_reference(cancelling, 0, n, "cancelling");
  }
  EXPECT_EQ(fletcher32(nullptr, 0), 0u);
  const unsigned char word[2] = {0xff, 0xff};
  EXPECT_EQ(fletcher32(word, 2), 0xffffffffu);  // a zero residue of non-zero words reads 0xffff
}

TEST(Fletcher32, AcceptsTheStoredLittleEndianFormAndTheOldSwappedOne) {
  const uint32_t sum = 0x12345678;
  const unsigned char little_endian[4] = {0x78, 0x56, 0x34, 0x12};
  const unsigned char swapped[4] = {0x56, 0x78, 0x12, 0x34};  // HDF5 before 1.6.3 on little-endian hosts
  const unsigned char big_endian[4] = {0x12, 0x34, 0x56, 0x78};
  EXPECT_TRUE(fletcher32_accepts(sum, little_endian));
  EXPECT_TRUE(fletcher32_accepts(sum, swapped));
  EXPECT_FALSE(fletcher32_accepts(sum, big_endian));
  EXPECT_FALSE(fletcher32_accepts(sum + 1, little_endian));
}

using Fletcher32Parts = PartFolderTest;

// Each chunk as stored (H5Dread_chunk: data, then the 4 bytes the filter appended): our sum of the data equals the
// stored little-endian value exactly.
void expect_stored_checksums_equal(const std::string& path, const char* dataset, int64_t rows) {
  const Hdf5File file = open_hdf5_file(path);
  const Hdf5Dataset data = open_hdf5_dataset(file.get(), dataset, path);
  const Hdf5Dataspace space = hdf5_dataspace_of(data, path);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<unsigned char> chunk;
  for (int64_t row = 0; row < rows; ++row) {
    std::vector<hsize_t> offset(static_cast<size_t>(rank), 0);
    offset[0] = static_cast<hsize_t>(row);
    hsize_t bytes = 0;
    H5_CHECK(H5Dget_chunk_storage_size(data.get(), offset.data(), &bytes));
    ASSERT_GT(bytes, 4u);
    chunk.resize(bytes);
    uint32_t filter_mask = 0;
    H5_CHECK(H5Dread_chunk(data.get(), H5P_DEFAULT, offset.data(), &filter_mask, chunk.data()));
    ASSERT_EQ(filter_mask, 0u);
    const unsigned char* tail = chunk.data() + bytes - 4;
    const uint32_t stored = tail[0] | (tail[1] << 8) | (tail[2] << 16) | (static_cast<uint32_t>(tail[3]) << 24);
    for (const auto& [name, kernel] : kernels())
      ASSERT_EQ(kernel(chunk.data(), bytes - 4), stored) << name << ", " << path << " row " << row;
    ASSERT_EQ(fletcher32_reference(chunk.data(), bytes - 4), stored);
  }
}

TEST_F(Fletcher32Parts, EqualsWhatHdf5StoredInLogMelParts) {
  const auto header = testing::test_header(0, 40);
  const testing::TestExamples input(header, 6, 21);
  // Uncompressed (262 KB chunks' worth of float16 per example) and deflated (odd chunk lengths).
  for (const PartWriterOptions options : {PartWriterOptions{0, false}, PartWriterOptions{4, true}}) {
    const std::string path = file("mel.h5");
    testing::write_part(path, header, input, options);
    expect_stored_checksums_equal(path, "mel", 6);
  }
}

TEST_F(Fletcher32Parts, EqualsWhatHdf5StoredInWaveformParts) {
  FeatureConfig features;
  features.kind = FeatureKind::waveform;
  features.sample_rate = 16000;
  features.segment_seconds = 0.5;
  const PartHeader header = PartHeader::make(features, testing::test_tag_names(), "training", 0);
  std::mt19937_64 random(3);
  std::uniform_real_distribution<float> amplitude(-1.2f, 1.2f);
  std::vector<std::vector<float>> samples(5, std::vector<float>(static_cast<size_t>(header.n_samples)));
  std::vector<uint8_t> tags(static_cast<size_t>(header.n_tags()), 1);
  for (const PartWriterOptions options : {PartWriterOptions{0, false}, PartWriterOptions{6, false}}) {
    const std::string path = file("audio.h5");
    {
      PartWriter writer(path, header, options);
      for (size_t i = 0; i < samples.size(); ++i) {
        for (float& s : samples[i]) s = i == 0 ? 0.0f : amplitude(random);  // example 0 silent: all-zero words
        PartExample example;
        example.track_id = static_cast<int64_t>(i);
        example.data = samples[i].data();
        example.tags = tags.data();
        writer.append(example);
      }
      writer.commit();
    }
    expect_stored_checksums_equal(path, "audio", 5);
  }
}

}  // namespace
}  // namespace musictag::preprocess
