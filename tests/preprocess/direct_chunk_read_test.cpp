// Direct chunk reads (DirectChunkReader, PartReader): which layouts qualify, values bit-identical to H5Dread, and
// every chunk it cannot vouch for (damaged, filtered otherwise, unallocated, truncated) left to H5Dread and its error.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "cluster/errors.h"
#include "part_test_support.h"
#include "preprocess/format/direct_chunk_reader.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_handle.h"
#include "preprocess/format/hdf5_types.h"
#include "preprocess/format/part_reader.h"

namespace musictag::preprocess {
namespace {
using testing::PartFolderTest;
using testing::TestExamples;

using DirectChunkRead = PartFolderTest;

// Rows first .. first + count - 1 of `dataset` with H5Dread, raw float16: what PartReader delivered before.
std::vector<uint16_t> hdf5_rows(const std::string& path, const char* dataset, int64_t first, int64_t count) {
  const Hdf5File file = open_hdf5_file(path);
  const Hdf5Dataset data = open_hdf5_dataset(file.get(), dataset, path);
  const Hdf5Dataspace space = hdf5_dataspace_of(data, path);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<size_t>(rank)), start(static_cast<size_t>(rank), 0);
  H5_CHECK(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr));
  dims[0] = static_cast<hsize_t>(count);
  start[0] = static_cast<hsize_t>(first);
  H5_CHECK(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, dims.data(), nullptr));
  const Hdf5Dataspace memory(H5_CHECK(H5Screate_simple(rank, dims.data(), nullptr)));
  size_t values = 1;
  for (const hsize_t d : dims) values *= static_cast<size_t>(d);
  std::vector<uint16_t> out(values);
  const Hdf5Datatype half = make_float16_type();
  H5_CHECK(H5Dread(data.get(), half.get(), memory.get(), space.get(), H5P_DEFAULT, out.data()));
  return out;
}

// Where row `row`'s chunk lies in the file.
std::pair<haddr_t, hsize_t> chunk_of(const std::string& path, const char* dataset, int64_t row) {
  const Hdf5File file = open_hdf5_file(path);
  const Hdf5Dataset data = open_hdf5_dataset(file.get(), dataset, path);
  const Hdf5Dataspace space = hdf5_dataspace_of(data, path);
  std::vector<hsize_t> offset(static_cast<size_t>(H5Sget_simple_extent_ndims(space.get())), 0);
  offset[0] = static_cast<hsize_t>(row);
  unsigned mask = 0;
  haddr_t address = 0;
  hsize_t bytes = 0;
  H5_CHECK(H5Dget_chunk_info_by_coord(data.get(), offset.data(), &mask, &address, &bytes));
  return {address, bytes};
}

void flip_byte(const std::string& path, uint64_t at) {
  std::fstream bytes(path, std::ios::in | std::ios::out | std::ios::binary);
  bytes.seekg(static_cast<std::streamoff>(at));
  char c = 0;
  bytes.read(&c, 1);
  c = static_cast<char>(c ^ 0x10);
  bytes.seekp(static_cast<std::streamoff>(at));
  bytes.write(&c, 1);
}

// Every run of rows, one read each, equals H5Dread of the same rows; all rows delivered without HDF5.
void expect_direct_equals_hdf5(const std::string& path, const char* dataset) {
  PartReader reader(path);
  ASSERT_TRUE(reader.reads_chunks_directly()) << path;
  const int64_t n = reader.size(), values = reader.example_values();
  int64_t rows_read = 0;
  for (int64_t first = 0; first < n; ++first) {
    for (int64_t count = 1; first + count <= n; ++count) {
      std::vector<uint16_t> out(static_cast<size_t>(count * values), 0x7e00);
      reader.read_examples_float16(first, count, out.data());
      ASSERT_EQ(out, hdf5_rows(path, dataset, first, count)) << path << " rows " << first << " + " << count;
      rows_read += count;
    }
  }
  EXPECT_EQ(reader.read_counts().direct, rows_read);
  EXPECT_EQ(reader.read_counts().hdf5, 0);
}

TEST_F(DirectChunkRead, UncompressedLogMelPartsAreReadDirectlyAndEqualH5Dread) {
  const auto header = testing::test_header(0, 96);
  const TestExamples input(header, 5, 8);
  testing::write_part(file("mel.h5"), header, input, {0, false});
  expect_direct_equals_hdf5(file("mel.h5"), "mel");
  // And through read_examples (float32): the float16 rounding of the input, bit for bit.
  PartReader reader(file("mel.h5"));
  std::vector<float> mel(static_cast<size_t>(5 * reader.example_values()));
  reader.read_examples(0, 5, mel.data());
  for (size_t i = 0; i < 5; ++i)
    for (size_t k = 0; k < input.mels[i].size(); k += 101)
      ASSERT_EQ(mel[i * input.mels[i].size() + k], round_to_half(input.mels[i][k])) << i << ", " << k;
}

TEST_F(DirectChunkRead, UncompressedWaveformPartsAreReadDirectlyAndEqualH5Dread) {
  FeatureConfig features;
  features.kind = FeatureKind::waveform;
  features.sample_rate = 16000;
  features.segment_seconds = 0.5;
  const PartHeader header = PartHeader::make(features, testing::test_tag_names(), "training", 0);
  std::mt19937_64 random(4);
  std::uniform_real_distribution<float> amplitude(-1.0f, 1.0f);
  std::vector<std::vector<float>> samples(4, std::vector<float>(static_cast<size_t>(header.n_samples)));
  std::vector<uint8_t> tags(static_cast<size_t>(header.n_tags()), 0);
  PartWriter writer(file("audio.h5"), header);
  for (size_t i = 0; i < samples.size(); ++i) {
    for (float& s : samples[i]) s = amplitude(random);
    PartExample example;
    example.track_id = static_cast<int64_t>(10 + i);
    example.data = samples[i].data();
    example.tags = tags.data();
    writer.append(example);
  }
  writer.commit();
  expect_direct_equals_hdf5(file("audio.h5"), "audio");
}

TEST_F(DirectChunkRead, CompressedPartsAreReadWithH5Dread) {
  const auto header = testing::test_header(0, 16);
  const TestExamples input(header, 3, 9);
  testing::write_part(file("deflated.h5"), header, input, {4, true});
  PartReader reader(file("deflated.h5"));
  EXPECT_FALSE(reader.reads_chunks_directly());
  std::vector<uint16_t> out(static_cast<size_t>(3 * reader.example_values()));
  reader.read_examples_float16(0, 3, out.data());
  EXPECT_EQ(out, hdf5_rows(file("deflated.h5"), "mel", 0, 3));
  EXPECT_EQ(reader.read_counts().direct, 0);
  EXPECT_EQ(reader.read_counts().hdf5, 3);
}

// A flipped byte in example 2's data, or in example 1's stored checksum: the direct read rejects that chunk, H5Dread
// reads it again and fails naming the part, the dataset, the example and its track, as before; the other rows are
// delivered directly.
TEST_F(DirectChunkRead, ADamagedChunkFailsAsH5DreadFailsItNamingTheExample) {
  const auto header = testing::test_header(0, 24);
  const TestExamples input(header, 4, 10);
  for (const bool in_checksum : {false, true}) {
    const std::string path = file("damaged.h5");
    testing::write_part(path, header, input, {0, false});
    const int64_t damaged = in_checksum ? 1 : 2;
    const auto [address, bytes] = chunk_of(path, "mel", damaged);
    flip_byte(path, in_checksum ? address + bytes - 3 : address + bytes / 3);
    PartReader reader(path);
    ASSERT_TRUE(reader.reads_chunks_directly());
    std::vector<uint16_t> out(static_cast<size_t>(4 * reader.example_values()));
    try {
      reader.read_examples_float16(0, 4, out.data());
      FAIL() << "a damaged chunk was read without error";
    } catch (const DataError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_NE(message.find(fmt::format("dataset 'mel', example {} (track {})", damaged,
                                         input.examples[static_cast<size_t>(damaged)].track_id)),
                std::string::npos)
          << message;
      EXPECT_NE(message.find("Fletcher32"), std::string::npos) << message;
      EXPECT_NE(message.find("rerun musictag-preprocess"), std::string::npos) << message;
    }
    EXPECT_EQ(reader.read_counts().direct, 3);  // the three intact rows of that read
    reader.read_examples_float16(3, 1, out.data());
    EXPECT_EQ(std::vector<uint16_t>(out.begin(), out.begin() + reader.example_values()), hdf5_rows(path, "mel", 3, 1));
    EXPECT_EQ(reader.read_counts().direct, 4);
    EXPECT_EQ(reader.read_counts().hdf5, 0);  // the failed H5Dread delivered nothing
  }
}

// A chunk HDF5 stored with its Fletcher32 skipped (filter mask 1, no checksum bytes): left to H5Dread, which reads
// it unchecked, as before.
TEST_F(DirectChunkRead, AChunkStoredWithoutItsFilterIsReadByHdf5) {
  const auto header = testing::test_header(0, 8);
  const TestExamples input(header, 3, 11);
  const std::string path = file("mixed.h5");
  testing::write_part(path, header, input, {0, false});
  std::vector<uint16_t> replacement(static_cast<size_t>(header.example_values()));
  floats_to_halves(input.mels[2].data(), replacement.data(), replacement.size());
  {
    const Hdf5File h5 = open_hdf5_file(path, true);
    const Hdf5Dataset mel = open_hdf5_dataset(h5.get(), "mel", path);
    const hsize_t offset[3] = {1, 0, 0};
    H5_CHECK(
        H5Dwrite_chunk(mel.get(), H5P_DEFAULT, 1u, offset, replacement.size() * sizeof(uint16_t), replacement.data()));
  }
  PartReader reader(path);
  ASSERT_TRUE(reader.reads_chunks_directly());
  std::vector<uint16_t> out(static_cast<size_t>(3 * reader.example_values()));
  reader.read_examples_float16(0, 3, out.data());
  EXPECT_EQ(out, hdf5_rows(path, "mel", 0, 3));
  EXPECT_EQ(std::vector<uint16_t>(out.begin() + reader.example_values(), out.begin() + 2 * reader.example_values()),
            replacement);
  EXPECT_EQ(reader.read_counts().direct, 2);
  EXPECT_EQ(reader.read_counts().hdf5, 1);
}

// A part truncated after it was opened: the direct read comes up short, H5Dread fails naming the part.
TEST_F(DirectChunkRead, APartTruncatedAfterOpeningFailsNamingIt) {
  const auto header = testing::test_header(0, 8);
  const TestExamples input(header, 4, 12);
  const std::string path = file("truncated.h5");
  testing::write_part(path, header, input, {0, false});
  PartReader reader(path);
  ASSERT_TRUE(reader.reads_chunks_directly());
  std::vector<uint16_t> out(static_cast<size_t>(4 * reader.example_values()));
  const auto [address, bytes] = chunk_of(path, "mel", 3);
  std::filesystem::resize_file(path, address + bytes / 2);
  try {
    reader.read_examples_float16(0, 4, out.data());
    FAIL() << "a truncated part was read without error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

// Layouts for DirectChunkReader::open_if_qualifies: dataset "x" [rows, 3, 5] of float16 unless said otherwise.
struct Layout {
  const char* name;
  std::vector<hsize_t> chunk = {1, 3, 5};
  bool fletcher32 = false, shuffle = false;
  int deflate = 0;
  bool contiguous = false, big_endian = false, float32 = false;
  hsize_t user_block = 0;
  hsize_t written_rows = 4, rows = 4;
};

// Writes `layout` to `path`; returns the values written (float16 bits, rows written).
std::vector<uint16_t> write_layout(const std::string& path, const Layout& layout) {
  quiet_hdf5_errors();
  const Hdf5PropertyList file_create(H5_CHECK(H5Pcreate(H5P_FILE_CREATE)));
  if (layout.user_block > 0) H5_CHECK(H5Pset_userblock(file_create.get(), layout.user_block));
  const Hdf5File file(H5_CHECK(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, file_create.get(), H5P_DEFAULT)));
  const hsize_t dims[3] = {layout.rows, 3, 5}, max_dims[3] = {H5S_UNLIMITED, 3, 5};
  const Hdf5Dataspace space(H5_CHECK(H5Screate_simple(3, dims, layout.contiguous ? nullptr : max_dims)));
  const Hdf5PropertyList create(H5_CHECK(H5Pcreate(H5P_DATASET_CREATE)));
  if (!layout.contiguous) H5_CHECK(H5Pset_chunk(create.get(), 3, layout.chunk.data()));
  if (layout.shuffle) H5_CHECK(H5Pset_shuffle(create.get()));
  if (layout.deflate > 0) H5_CHECK(H5Pset_deflate(create.get(), static_cast<unsigned>(layout.deflate)));
  if (layout.fletcher32) H5_CHECK(H5Pset_fletcher32(create.get()));
  const Hdf5Datatype half = make_float16_type();
  Hdf5Datatype stored(H5_CHECK(H5Tcopy(layout.float32 ? H5T_IEEE_F32LE : half.get())));
  if (layout.big_endian) H5_CHECK(H5Tset_order(stored.get(), H5T_ORDER_BE));
  const Hdf5Dataset data(
      H5_CHECK(H5Dcreate2(file.get(), "x", stored.get(), space.get(), H5P_DEFAULT, create.get(), H5P_DEFAULT)));
  std::vector<uint16_t> values(static_cast<size_t>(layout.written_rows * 15));
  for (size_t i = 0; i < values.size(); ++i) values[i] = float_to_half(0.25f * static_cast<float>(i) - 3.0f);
  const hsize_t start[3] = {0, 0, 0}, block[3] = {layout.written_rows, 3, 5};
  const Hdf5Dataspace file_space(H5_CHECK(H5Dget_space(data.get())));
  H5_CHECK(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr));
  const Hdf5Dataspace memory(H5_CHECK(H5Screate_simple(3, block, nullptr)));
  H5_CHECK(H5Dwrite(data.get(), half.get(), memory.get(), file_space.get(), H5P_DEFAULT, values.data()));
  return values;
}

std::unique_ptr<DirectChunkReader> open_layout(const std::string& path, Hdf5File& file, Hdf5Dataset& data) {
  file = open_hdf5_file(path);
  data = open_hdf5_dataset(file.get(), "x", path);
  const Hdf5Datatype half = make_float16_type();
  return DirectChunkReader::open_if_qualifies(file.get(), data.get(), half.get(), path);
}

TEST_F(DirectChunkRead, OnlyOneExamplePerChunkUnfilteredOrFletcher32AloneQualifies) {
  std::vector<Layout> refused(9);
  refused[0].name = "shuffle + Fletcher32", refused[0].shuffle = refused[0].fletcher32 = true;
  refused[1].name = "deflate", refused[1].deflate = 1;
  refused[2].name = "deflate + Fletcher32", refused[2].deflate = 1, refused[2].fletcher32 = true;
  refused[3].name = "two rows per chunk", refused[3].chunk = {2, 3, 5};
  refused[4].name = "part of a row per chunk", refused[4].chunk = {1, 3, 4};
  refused[5].name = "contiguous", refused[5].contiguous = true;
  refused[6].name = "big-endian float16", refused[6].big_endian = true;
  refused[7].name = "float32", refused[7].float32 = true;
  refused[8].name = "user block", refused[8].user_block = 512;
  for (const Layout& layout : refused) {
    write_layout(file("x.h5"), layout);
    Hdf5File h5;
    Hdf5Dataset data;
    EXPECT_EQ(open_layout(file("x.h5"), h5, data), nullptr) << layout.name;
  }
  for (const bool fletcher32 : {false, true}) {
    Layout layout;
    layout.name = fletcher32 ? "Fletcher32" : "no filter";
    layout.fletcher32 = fletcher32;
    const std::vector<uint16_t> values = write_layout(file("x.h5"), layout);
    Hdf5File h5;
    Hdf5Dataset data;
    const auto reader = open_layout(file("x.h5"), h5, data);
    ASSERT_NE(reader, nullptr) << layout.name;
    EXPECT_EQ(reader->checksummed(), fletcher32);
    EXPECT_EQ(reader->example_bytes(), 30u);
    EXPECT_FALSE(reader->located(0, 4));
    reader->locate(1, 3);
    EXPECT_TRUE(reader->located(1, 3));
    EXPECT_FALSE(reader->located(0, 2));
    reader->locate(0, 4);
    std::vector<uint16_t> out(values.size());
    std::vector<int64_t> rejected = {99};
    reader->read(0, 4, reinterpret_cast<unsigned char*>(out.data()), rejected);
    EXPECT_TRUE(rejected.empty()) << layout.name;
    EXPECT_EQ(out, values) << layout.name;
    reader->read(2, 1, reinterpret_cast<unsigned char*>(out.data()), rejected);
    EXPECT_EQ(std::vector<uint16_t>(out.begin(), out.begin() + 15),
              std::vector<uint16_t>(values.begin() + 30, values.begin() + 45));
  }
}

// Rows past the written ones have no chunk: left to HDF5 (which fills them), the written ones still read.
TEST_F(DirectChunkRead, UnallocatedChunksAreLeftToHdf5) {
  Layout layout;
  layout.name = "extended";
  layout.fletcher32 = true;
  layout.written_rows = 2;
  layout.rows = 5;
  const std::vector<uint16_t> values = write_layout(file("x.h5"), layout);
  Hdf5File h5;
  Hdf5Dataset data;
  const auto reader = open_layout(file("x.h5"), h5, data);
  ASSERT_NE(reader, nullptr);
  reader->locate(0, 5);
  std::vector<uint16_t> out(75);
  std::vector<int64_t> rejected;
  reader->read(0, 5, reinterpret_cast<unsigned char*>(out.data()), rejected);
  EXPECT_EQ(rejected, (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(std::vector<uint16_t>(out.begin(), out.begin() + 30), values);
}

}  // namespace
}  // namespace musictag::preprocess
