// h5py reads predictions.h5 with the dtypes, shapes, values and attributes we wrote (runs when MUSICTAG_VENV is set).
#include <gtest/gtest.h>

#include <fstream>

#include "eval/report/predictions.h"
#include "report_test_support.h"

namespace musictag::eval {
namespace {

using PredictionsH5py = testing::ReportFolderTest;

TEST_F(PredictionsH5py, ReadsDatasetsAndAttributes) {
  const std::string python = testing::venv_python();
  if (python.empty()) GTEST_SKIP() << "MUSICTAG_VENV is not set or has no bin/python; h5py check skipped";
  const Predictions p = testing::sample_predictions(6, 2, 4, 9);
  const std::string path = file("predictions.h5"), script = file("read.py"), dump = file("scores.f32");
  write_predictions(p, path);
  std::ofstream(script) << R"(import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    s, l, t = f["scores"], f["labels"], f["track_id"]
    print("scores", s.dtype, s.shape, "labels", l.dtype, l.shape, int(l[...].sum()), "track_id", t.dtype, t.shape)
    print("ids", ",".join(str(i) for i in t[...]))
    print("tags", ",".join(f.attrs["tag_names"]), "split", f.attrs["split"], "version", int(f.attrs["format_version"]))
    print("ckpt", f.attrs["checkpoint_sha256"], "manifest", f.attrs["manifest_sha256"])
    s[...].astype("<f4").tofile(sys.argv[2])
)";
  const auto [output, status] = testing::run_command(python + " " + script + " " + path + " " + dump + " 2>&1");
  ASSERT_EQ(status, 0) << output;
  size_t positives = 0;
  for (const uint8_t label : p.labels) positives += label;
  EXPECT_NE(
      output.find("scores float32 (12, 4) labels uint8 (12, 4) " + std::to_string(positives) + " track_id int64 (12,)"),
      std::string::npos)
      << output;
  EXPECT_NE(output.find("ids 100,103,106,109,112,115,100,103"), std::string::npos) << output;
  EXPECT_NE(output.find("tags tag0,tag1,tag2,tag3 split test version 1"), std::string::npos) << output;
  EXPECT_NE(output.find("ckpt " + p.checkpoint_sha256 + " manifest " + p.manifest_sha256), std::string::npos) << output;
  std::ifstream in(dump, std::ios::binary);
  std::vector<float> scores(p.scores.size());
  in.read(reinterpret_cast<char*>(scores.data()), static_cast<std::streamsize>(scores.size() * sizeof(float)));
  ASSERT_TRUE(in) << "h5py's dump is short";
  EXPECT_EQ(scores, p.scores);  // tolerance 0: numpy reads the very float32 we wrote
}

}  // namespace
}  // namespace musictag::eval
