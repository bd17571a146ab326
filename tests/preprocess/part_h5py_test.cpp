// h5py reads a part as numpy float16 with the values our conversion produced (runs when MUSICTAG_VENV is set).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "part_test_support.h"
#include "preprocess/format/float16.h"

namespace musictag::preprocess {
namespace {
using PartH5py = testing::PartFolderTest;

// Runs `command`, returning its stdout and exit status.
std::pair<std::string, int> run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {"", -1};
  char buffer[4096];
  size_t read;
  while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, read);
  return {output, ::pclose(pipe)};
}

TEST_F(PartH5py, ReadsFloat16MelTagsAndAttributes) {
  const char* venv = std::getenv("MUSICTAG_VENV");
  const std::string python = venv != nullptr ? std::string(venv) + "/bin/python" : "";
  if (python.empty() || !std::filesystem::exists(python)) {
    GTEST_SKIP() << "MUSICTAG_VENV is not set or has no bin/python (scripts/setup.sh makes it); h5py check skipped";
  }
  const auto header = testing::test_header(7);
  const testing::TestExamples input(header, 3, 11);
  const std::string part = file("training-00007.h5"), dump = file("mel.f32"), script = file("read.py");
  testing::write_part(part, header, input, {4, true});

  // h5py's float16 widened by numpy, written raw; the rest printed.
  std::ofstream(script) << R"(import json, sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    mel = f["mel"]
    print("dtype", mel.dtype, "shape", mel.shape, "chunks", mel.chunks, "compression", mel.compression)
    mel[...].astype(np.float32).tofile(sys.argv[2])
    print("tags", f["tags"].dtype, f["tags"][...].sum(), "track_id", f["track_id"].dtype, list(f["track_id"][...]))
    print("tag_names", ",".join(f.attrs["tag_names"]), "split", f.attrs["split"], "part_index",
          int(f.attrs["part_index"]), "n_mels", json.loads(f.attrs["features_json"])["n_mels"])
)";
  const auto [output, status] = run(python + " " + script + " " + part + " " + dump + " 2>&1");
  ASSERT_EQ(status, 0) << output;
  EXPECT_NE(output.find("dtype float16 shape (3, 96, 1366) chunks (1, 96, 1366) compression gzip"), std::string::npos)
      << output;
  int tag_sum = 0;
  for (const auto& tags : input.tags)
    for (const uint8_t tag : tags) tag_sum += tag;
  EXPECT_NE(output.find("tags uint8 " + std::to_string(tag_sum) + " track_id int64"), std::string::npos) << output;
  EXPECT_NE(output.find("tag_names rock,electronic,hip-hop,folk,jazz split training part_index 7 n_mels 96"),
            std::string::npos)
      << output;

  std::ifstream in(dump, std::ios::binary);
  std::vector<float> mel(3 * static_cast<size_t>(header.example_values()));
  in.read(reinterpret_cast<char*>(mel.data()), static_cast<std::streamsize>(mel.size() * sizeof(float)));
  ASSERT_TRUE(in) << "h5py's dump is short";
  size_t differ = 0;
  for (size_t i = 0; i < mel.size(); ++i) {
    const float expected = round_to_half(input.mels[i / header.example_values()][i % header.example_values()]);
    differ += mel[i] != expected;  // tolerance 0: numpy widens the very halves we wrote
  }
  EXPECT_EQ(differ, 0u);
}

}  // namespace
}  // namespace musictag::preprocess
