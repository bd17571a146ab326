// Part files: exact round trip (mel = float16 rounding of the input), layout (chunks, filters), atomic commit,
// refusal of parts from another run, and errors that name the file and attribute.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "cluster/errors.h"
#include "part_test_support.h"
#include "preprocess/format/float16.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_handle.h"
#include "preprocess/format/part_reader.h"

namespace musictag::preprocess {
namespace {
using testing::PartFolderTest;
using testing::TestExamples;

using PartFile = PartFolderTest;

// The exact float16 rounding of `mel` (what a reader must return, to the bit).
std::vector<float> rounded(const std::vector<float>& mel) {
  std::vector<float> out(mel.size());
  for (size_t i = 0; i < mel.size(); ++i) out[i] = round_to_half(mel[i]);
  return out;
}

void expect_round_trip(const std::string& path, const PartHeader& header, const TestExamples& input) {
  PartReader reader(path);
  ASSERT_EQ(reader.size(), static_cast<int64_t>(input.examples.size()));
  EXPECT_EQ(reader.header().features_json, header.features_json);
  EXPECT_EQ(reader.header().tag_names, header.tag_names);
  EXPECT_EQ(reader.header().split, "training");
  EXPECT_EQ(reader.header().part_index, header.part_index);
  EXPECT_EQ(reader.header().format_version, PartHeader::kFormatVersion);
  EXPECT_EQ(reader.header().n_mels, 96);
  EXPECT_EQ(reader.header().n_frames, 1366);
  EXPECT_EQ(reader.header().sample_rate, 12000);
  EXPECT_EQ(reader.header().hop_length, 256);
  EXPECT_EQ(reader.header().n_fft, 512);

  std::vector<float> mel(static_cast<size_t>(reader.example_values()));
  for (size_t i = 0; i < input.examples.size(); ++i) {
    reader.read_example(static_cast<int64_t>(i), mel.data());
    const auto expected = rounded(input.mels[i]);
    ASSERT_EQ(std::memcmp(mel.data(), expected.data(), mel.size() * sizeof(float)), 0) << "example " << i;
    for (size_t k = 0; k < mel.size(); k += 997) ASSERT_NEAR(mel[k], input.mels[i][k], 0.0625f);  // half ulp at 64
    const auto& example = input.examples[i];
    EXPECT_EQ(reader.track_ids()[i], example.track_id);
    EXPECT_EQ(reader.variants()[i], example.variant);
    EXPECT_EQ(reader.time_stretches()[i], example.time_stretch);
    EXPECT_EQ(reader.pitch_shifts()[i], example.pitch_shift);
    EXPECT_EQ(reader.segments()[i], example.segment);
    EXPECT_EQ(std::vector<uint8_t>(reader.tags_of(static_cast<int64_t>(i)),
                                   reader.tags_of(static_cast<int64_t>(i)) + header.n_tags()),
              input.tags[i]);
  }
  // Several at once: the same values, concatenated.
  std::vector<float> block(3 * mel.size());
  reader.read_examples(1, 3, block.data());
  for (size_t i = 0; i < 3; ++i) {
    const auto expected = rounded(input.mels[i + 1]);
    ASSERT_EQ(std::memcmp(block.data() + i * mel.size(), expected.data(), mel.size() * sizeof(float)), 0) << i;
  }
  EXPECT_THROW(reader.read_examples(3, 3, block.data()), DataError);
}

TEST_F(PartFile, RoundTripsExactlyWithoutCompression) {
  const auto header = testing::test_header(3);
  const TestExamples input(header, 5, 1);
  testing::write_part(file("training-00003.h5"), header, input, {0, false});
  expect_round_trip(file("training-00003.h5"), header, input);
}

TEST_F(PartFile, RoundTripsExactlyWithDeflateAndShuffle) {
  const auto header = testing::test_header(4);
  const TestExamples input(header, 5, 2);
  testing::write_part(file("training-00004.h5"), header, input, {4, true});
  expect_round_trip(file("training-00004.h5"), header, input);
}

// /mel: chunk [1, n_mels, n_frames], unlimited first dimension, exactly the filters asked for, then Fletcher32.
TEST_F(PartFile, ChunksByExampleWithRequestedFilters) {
  const auto header = testing::test_header();
  const TestExamples input(header, 2, 3);
  struct Case {
    PartWriterOptions options;
    std::vector<H5Z_filter_t> filters;
  };
  const Case cases[] = {{{0, true}, {H5Z_FILTER_FLETCHER32}},
                        {{6, false}, {H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32}},
                        {{1, true}, {H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32}}};
  for (const auto& [options, filters] : cases) {
    const std::string path = file("part.h5");
    testing::write_part(path, header, input, options);
    const Hdf5File h5 = open_hdf5_file(path);
    const Hdf5Dataset mel = open_hdf5_dataset(h5.get(), "mel", path);
    const Hdf5PropertyList create = hdf5_create_plist_of(mel, path);
    ASSERT_EQ(H5Pget_layout(create.get()), H5D_CHUNKED);
    hsize_t chunk[3] = {0, 0, 0};
    ASSERT_EQ(H5Pget_chunk(create.get(), 3, chunk), 3);
    EXPECT_EQ(chunk[0], 1u);
    EXPECT_EQ(chunk[1], 96u);
    EXPECT_EQ(chunk[2], 1366u);
    hsize_t dims[3], max_dims[3];
    const Hdf5Dataspace space = hdf5_dataspace_of(mel, path);
    H5_CHECK(H5Sget_simple_extent_dims(space.get(), dims, max_dims));
    EXPECT_EQ(dims[0], 2u);
    EXPECT_EQ(max_dims[0], H5S_UNLIMITED);
    ASSERT_EQ(H5Pget_nfilters(create.get()), static_cast<int>(filters.size())) << options.deflate_level;
    for (size_t f = 0; f < filters.size(); ++f) {
      unsigned flags = 0, config = 0, values[4] = {0, 0, 0, 0};
      size_t n_values = 4;
      char name[64];
      const H5Z_filter_t id = H5Pget_filter2(create.get(), static_cast<unsigned>(f), &flags, &n_values, values,
                                             sizeof(name), name, &config);
      EXPECT_EQ(id, filters[f]);
      if (id == H5Z_FILTER_DEFLATE) {
        EXPECT_EQ(values[0], static_cast<unsigned>(options.deflate_level));
      }
    }
  }
}

// One flipped byte in the stored bytes of example 2's chunk: reading example 2 (alone or in a block) fails naming
// the part, the dataset, the example and its track; the other examples still read exactly.
TEST_F(PartFile, AFlippedByteFailsTheChecksumOfExactlyItsExample) {
  for (const PartWriterOptions options : {PartWriterOptions{0, false}, PartWriterOptions{4, true}}) {
    const auto header = testing::test_header(2);
    const TestExamples input(header, 4, 5);
    const std::string path = file("damaged.h5");
    testing::write_part(path, header, input, options);
    haddr_t address = 0;
    hsize_t stored = 0;
    {
      const Hdf5File h5 = open_hdf5_file(path);
      const Hdf5Dataset mel = open_hdf5_dataset(h5.get(), "mel", path);
      const Hdf5Dataspace space = hdf5_dataspace_of(mel, path);
      hsize_t offset[3] = {0, 0, 0};
      unsigned mask = 0;
      H5_CHECK(H5Dget_chunk_info(mel.get(), space.get(), 2, offset, &mask, &address, &stored));
      ASSERT_EQ(offset[0], 2u);
    }
    {
      std::fstream bytes(path, std::ios::in | std::ios::out | std::ios::binary);
      bytes.seekg(static_cast<std::streamoff>(address + stored / 2));
      char c = 0;
      bytes.read(&c, 1);
      c = static_cast<char>(c ^ 0x10);
      bytes.seekp(static_cast<std::streamoff>(address + stored / 2));
      bytes.write(&c, 1);
    }
    PartReader reader(path);
    std::vector<float> mel(static_cast<size_t>(4 * reader.example_values()));
    for (const auto& [first, count] : std::vector<std::pair<int64_t, int64_t>>{{2, 1}, {0, 4}}) {
      try {
        reader.read_examples(first, count, mel.data());
        FAIL() << "a damaged chunk was read without error (deflate " << options.deflate_level << ")";
      } catch (const DataError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(path), std::string::npos) << message;
        EXPECT_NE(message.find("dataset 'mel', example 2 (track " + std::to_string(input.examples[2].track_id) + ")"),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("Fletcher32"), std::string::npos) << message;
      }
    }
    reader.read_examples(0, 2, mel.data());
    reader.read_example(3, mel.data());
    const auto expected = rounded(input.mels[3]);
    EXPECT_EQ(std::memcmp(mel.data(), expected.data(), expected.size() * sizeof(float)), 0);
  }
}

TEST_F(PartFile, AppearsOnlyOnCommitAndUncommittedWriterLeavesNothing) {
  const auto header = testing::test_header();
  const TestExamples input(header, 2, 4);
  const std::string path = file("training-00000.h5");
  {
    PartWriter writer(path, header);
    writer.append(input.examples[0]);
    EXPECT_TRUE(std::filesystem::exists(path + ".partial"));
    EXPECT_FALSE(std::filesystem::exists(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(root_));

  PartWriter writer(path, header);
  writer.append(input.examples[0]);
  writer.commit();
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  EXPECT_THROW(writer.append(input.examples[1]), DataError);
  EXPECT_THROW(writer.commit(), DataError);
}

// A track that fails after some of its rows were written is truncated away; what follows takes its place.
TEST_F(PartFile, TruncateDropsTheLastRowsAndLaterAppendsFollowTheKeptOnes) {
  const PartHeader header = testing::test_header();
  const TestExamples input(header, 6, 11);
  const std::string path = file("truncated.h5");
  {
    PartWriter writer(path, header);
    for (int i = 0; i < 4; ++i) writer.append(input.examples[size_t(i)]);
    writer.truncate(2);  // rows 2 and 3 dropped
    EXPECT_EQ(writer.size(), 2);
    writer.truncate(2);  // nothing to drop
    EXPECT_THROW(writer.truncate(3), DataError);
    EXPECT_THROW(writer.truncate(-1), DataError);
    for (int i = 4; i < 6; ++i) writer.append(input.examples[size_t(i)]);
    writer.commit();
    EXPECT_THROW(writer.truncate(0), DataError);
  }
  PartReader reader(path);
  ASSERT_EQ(reader.size(), 4);
  std::vector<float> mel(static_cast<size_t>(reader.example_values()));
  const int kept[] = {0, 1, 4, 5};
  for (int64_t row = 0; row < 4; ++row) {
    const auto& source = input.examples[size_t(kept[row])];
    reader.read_example(row, mel.data());
    const auto expected = rounded(input.mels[size_t(kept[row])]);
    EXPECT_EQ(std::memcmp(mel.data(), expected.data(), mel.size() * sizeof(float)), 0) << "row " << row;
    EXPECT_EQ(reader.track_ids()[size_t(row)], source.track_id);
    EXPECT_EQ(reader.segments()[size_t(row)], source.segment);
    EXPECT_EQ(std::vector<uint8_t>(reader.tags_of(row), reader.tags_of(row) + header.n_tags()),
              input.tags[size_t(kept[row])]);
  }
}

TEST_F(PartFile, TruncatingEveryRowLeavesAnEmptyPart) {
  const PartHeader header = testing::test_header();
  const TestExamples input(header, 2, 12);
  const std::string path = file("emptied.h5");
  PartWriter writer(path, header);
  for (const auto& example : input.examples) writer.append(example);
  writer.truncate(0);
  writer.commit();
  EXPECT_EQ(PartReader(path).size(), 0);
}

TEST_F(PartFile, EmptyPartRoundTrips) {
  const auto header = testing::test_header();
  PartWriter writer(file("empty.h5"), header, {3, true});
  writer.commit();
  PartReader reader(file("empty.h5"));
  EXPECT_EQ(reader.size(), 0);
  EXPECT_TRUE(reader.tags().empty());
  EXPECT_EQ(reader.header().tag_names, header.tag_names);
}

TEST_F(PartFile, CheckMatchesNamesTheAttributeThatDiffers) {
  const auto header = testing::test_header();
  testing::write_part(file("p.h5"), header, TestExamples(header, 1, 5));
  const PartReader reader(file("p.h5"));
  const FeatureConfig features;
  EXPECT_NO_THROW(reader.check_matches(features.to_json(), testing::test_tag_names()));
  // The JSON as it comes back from manifest.json (parsed text) compares equal too.
  EXPECT_NO_THROW(reader.check_matches(nlohmann::json::parse(features.to_json().dump()), header.tag_names));

  auto other_tags = testing::test_tag_names();
  other_tags[2] = "rap";
  try {
    reader.check_matches(features.to_json(), other_tags);
    FAIL() << "accepted other tag names";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("part file '" + file("p.h5") + "': attribute 'tag_names' differs"), std::string::npos)
        << message;
    EXPECT_NE(message.find("index 2: 'hip-hop' vs 'rap'"), std::string::npos) << message;
  }
  FeatureConfig other_features;
  other_features.n_mels = 128;
  try {
    reader.check_matches(other_features.to_json(), header.tag_names);
    FAIL() << "accepted other features";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("attribute 'features_json' differs"), std::string::npos) << message;
    EXPECT_NE(message.find("n_mels (part 96, expected 128)"), std::string::npos) << message;
  }
}

TEST_F(PartFile, ReaderRejectsMissingAndForeignFiles) {
  EXPECT_THROW(PartReader(file("missing.h5")), DataError);
  { const Hdf5File foreign = create_hdf5_file(file("foreign.h5")); }
  try {
    PartReader reader(file("foreign.h5"));
    FAIL() << "accepted a file without attributes";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(file("foreign.h5")), std::string::npos) << message;
    EXPECT_NE(message.find("attribute 'format_version' is missing"), std::string::npos) << message;
  }
  std::ofstream(file("text.h5")) << "not hdf5";
  EXPECT_THROW(PartReader(file("text.h5")), DataError);
}

TEST_F(PartFile, WriterRejectsBadOptions) {
  EXPECT_THROW(PartWriter(file("a.h5"), testing::test_header(), {10, false}), DataError);
  EXPECT_THROW(PartWriter(file("b.h5"), testing::test_header(0, 0)), DataError);
  EXPECT_THROW(PartWriter(file("no-such-dir/c.h5"), testing::test_header()), DataError);
}

}  // namespace
}  // namespace musictag::preprocess
