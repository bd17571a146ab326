// cluster/files.h: atomic writes leave either the old or the new content and never a .partial; errors name files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cluster/errors.h"
#include "cluster/files.h"

namespace musictag {
namespace {

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/musictag-files-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    folder_ = pattern;
  }
  void TearDown() override {
    for (const auto& name : regular_files_in(folder_)) remove_file(join_path(folder_, name));
    ::rmdir(folder_.c_str());
  }
  std::string at(const std::string& name) const { return join_path(folder_, name); }
  std::string folder_;
};

TEST_F(FilesTest, WriteFileAtomicallyReplacesTheContentAndLeavesNoPartial) {
  write_file_atomically(at("a.txt"), "first");
  write_file_atomically(at("a.txt"), std::string("second\0bytes", 12));
  EXPECT_EQ(read_whole_file(at("a.txt")), std::string("second\0bytes", 12));
  EXPECT_FALSE(is_regular_file(partial_path_of(at("a.txt"))));
  EXPECT_EQ(regular_files_in(folder_).size(), 1u);
}

TEST_F(FilesTest, CommitPartialFileRenamesAFinishedFile) {
  const std::string partial = partial_path_of(at("b.h5"));
  std::FILE* file = std::fopen(partial.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::fputs("payload", file);
  std::fclose(file);
  commit_partial_file(partial, at("b.h5"));
  EXPECT_EQ(read_whole_file(at("b.h5")), "payload");
  EXPECT_FALSE(is_regular_file(partial));
}

TEST_F(FilesTest, CommitIntoAMissingFolderRemovesThePartialAndNamesBothFiles) {
  const std::string partial = partial_path_of(at("c.txt"));
  write_file_atomically(at("c.txt"), "x");
  rename_file(at("c.txt"), partial);
  const std::string target = folder_ + "/missing/c.txt";
  try {
    commit_partial_file(partial, target);
    FAIL() << "expected DataError";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find(partial), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(target), std::string::npos) << error.what();
  }
  EXPECT_FALSE(is_regular_file(partial));
}

TEST_F(FilesTest, ReadingAMissingFileNamesIt) {
  try {
    read_whole_file(at("absent"));
    FAIL() << "expected DataError";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find(at("absent")), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace musictag
