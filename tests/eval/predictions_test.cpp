// predictions.h5: exact round trip, identical bytes for identical input, atomic write, errors naming the file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "cluster/errors.h"
#include "eval/report/predictions.h"
#include "preprocess/format/hdf5_attribute.h"
#include "preprocess/format/hdf5_dataset.h"
#include "preprocess/format/hdf5_handle.h"
#include "report_test_support.h"

namespace musictag::eval {
namespace {

using PredictionsFile = testing::ReportFolderTest;

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename F>
std::string error_of(F&& call) {
  try {
    call();
  } catch (const DataError& error) {
    return error.what();
  }
  return "(no DataError)";
}

TEST_F(PredictionsFile, RoundTripIsBitExact) {
  Predictions p = testing::sample_predictions(7, 3, 5, 42);
  // Values a decimal format would mangle: the smallest subnormal, 1 - ulp, negative zero, exact 0 and 1.
  p.scores[0] = std::numeric_limits<float>::denorm_min();
  p.scores[1] = std::nextafter(1.0f, 0.0f);
  p.scores[2] = -0.0f;
  p.scores[3] = 0.0f;
  p.scores[4] = 1.0f;
  p.track_ids[0] = std::numeric_limits<int64_t>::max();
  p.track_ids[1] = -5;
  p.tag_names[2] = "hip-hop / rap (ünïcode)";
  const std::string path = file("predictions.h5");
  write_predictions(p, path);
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));

  const Predictions back = read_predictions(path);
  EXPECT_EQ(back.tag_names, p.tag_names);
  EXPECT_EQ(back.track_ids, p.track_ids);
  EXPECT_EQ(back.labels, p.labels);
  EXPECT_EQ(back.split, "test");
  EXPECT_EQ(back.checkpoint_sha256, p.checkpoint_sha256);
  EXPECT_EQ(back.manifest_sha256, p.manifest_sha256);
  ASSERT_EQ(back.scores.size(), p.scores.size());
  EXPECT_EQ(std::memcmp(back.scores.data(), p.scores.data(), p.scores.size() * sizeof(float)), 0)
      << "scores must come back bit for bit (tolerance 0)";
}

TEST_F(PredictionsFile, SameInputGivesSameBytes) {
  const Predictions p = testing::sample_predictions(5, 2, 3, 1);
  write_predictions(p, file("a.h5"));
  write_predictions(p, file("b.h5"));
  EXPECT_EQ(bytes_of(file("a.h5")), bytes_of(file("b.h5")));
}

TEST_F(PredictionsFile, ZeroRowsAndEmptyTextsRoundTrip) {
  Predictions p = testing::sample_predictions(0, 1, 3, 1);
  p.split.clear();
  p.checkpoint_sha256.clear();
  p.manifest_sha256.clear();
  write_predictions(p, file("empty.h5"));
  const Predictions back = read_predictions(file("empty.h5"));
  EXPECT_EQ(back.n_rows(), 0u);
  EXPECT_EQ(back.tag_names, p.tag_names);
  EXPECT_EQ(back.split, "");
  EXPECT_EQ(back.checkpoint_sha256, "");
}

TEST_F(PredictionsFile, InvalidPredictionsAreRefusedAndLeaveNoFile) {
  const std::string path = file("bad.h5");
  Predictions p = testing::sample_predictions(4, 1, 3, 1);
  p.labels[5] = 2;
  std::string message = error_of([&] { write_predictions(p, path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("not 0 or 1"), std::string::npos) << message;
  EXPECT_NE(message.find("tag 'tag2'"), std::string::npos) << message;

  p = testing::sample_predictions(4, 1, 3, 1);
  p.scores.pop_back();
  message = error_of([&] { write_predictions(p, path); });
  EXPECT_NE(message.find("need 12 scores"), std::string::npos) << message;

  p = testing::sample_predictions(4, 1, 3, 1);
  p.tag_names[1] = "tag0";
  message = error_of([&] { write_predictions(p, path); });
  EXPECT_NE(message.find("'tag0' appears twice"), std::string::npos) << message;

  p.tag_names.clear();
  p.scores.clear();
  p.labels.clear();
  message = error_of([&] { write_predictions(p, path); });
  EXPECT_NE(message.find("no tags"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST_F(PredictionsFile, UnwritableFolderNamesTheFile) {
  const std::string path = file("missing-folder/predictions.h5");
  const std::string message = error_of([&] { write_predictions(testing::sample_predictions(3, 1, 2, 1), path); });
  EXPECT_NE(message.find("missing-folder/predictions.h5.partial"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST_F(PredictionsFile, ReadErrorsNameTheFile) {
  const std::string missing = file("nope.h5");
  std::string message = error_of([&] { read_predictions(missing); });
  EXPECT_NE(message.find(missing), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;

  // Not HDF5 at all.
  const std::string text = file("text.h5");
  std::ofstream(text) << "not hdf5\n";
  message = error_of([&] { read_predictions(text); });
  EXPECT_NE(message.find(text), std::string::npos) << message;

  // Valid HDF5 whose /labels has the wrong shape.
  const std::string bad = file("shape.h5");
  {
    preprocess::Hdf5File f = preprocess::create_hdf5_file(bad);
    preprocess::write_hdf5_array<float>(f.get(), "scores", {2, 2}, {0.1f, 0.2f, 0.3f, 0.4f}, bad);
    preprocess::write_hdf5_array<uint8_t>(f.get(), "labels", {2, 1}, {0, 1}, bad);
    preprocess::write_hdf5_array<int64_t>(f.get(), "track_id", {2}, {1, 2}, bad);
    preprocess::write_attribute(f.get(), "format_version", int64_t{1}, bad);
    preprocess::write_attribute(f.get(), "tag_names", std::vector<std::string>{"x", "y"}, bad);
    for (const char* name : {"split", "checkpoint_sha256", "manifest_sha256"}) {
      preprocess::write_attribute(f.get(), name, std::string("s"), bad);
    }
    f.close(bad);
  }
  message = error_of([&] { read_predictions(bad); });
  EXPECT_NE(message.find(bad), std::string::npos) << message;
  EXPECT_NE(message.find("/labels [2, 1]"), std::string::npos) << message;

  // Missing attribute and a future format version.
  const std::string future = file("future.h5");
  {
    preprocess::Hdf5File f = preprocess::create_hdf5_file(future);
    preprocess::write_attribute(f.get(), "format_version", int64_t{99}, future);
    f.close(future);
  }
  message = error_of([&] { read_predictions(future); });
  EXPECT_NE(message.find("format version 99"), std::string::npos) << message;
  const std::string bare = file("bare.h5");
  preprocess::create_hdf5_file(bare).close(bare);
  message = error_of([&] { read_predictions(bare); });
  EXPECT_NE(message.find(bare), std::string::npos) << message;
  EXPECT_NE(message.find("format_version"), std::string::npos) << message;
}

}  // namespace
}  // namespace musictag::eval
