// cluster/io_error.h: errno values of the environment become IoError in one line with advice, others DataError.
#include "cluster/io_error.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "cluster/errors.h"
#include "cluster/fatal.h"

namespace musictag {
namespace {

TEST(IoError, EnvironmentErrnosAreIoErrorsWithTheFileTheReasonAndAdvice) {
  for (const int error : {ENOSPC, EDQUOT, EROFS, EACCES, EIO}) {
    try {
      throw_file_error("write", "/scratch/out/parts/training-00001.h5.partial", error);
      FAIL() << "no exception";
    } catch (const IoError& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_EQ(message.rfind("cannot write '/scratch/out/parts/training-00001.h5.partial': ", 0), 0u) << message;
      EXPECT_NE(message.find(std::strerror(error)), std::string::npos) << message;
      EXPECT_NE(message.find("; " + io_remedy(error) + " or write elsewhere, then rerun"), std::string::npos)
          << message;
      EXPECT_EQ(e.system_error(), error);
      EXPECT_EQ(e.path(), "/scratch/out/parts/training-00001.h5.partial");
      EXPECT_EQ(cluster::exit_code_for(e), cluster::kExitIoError);
    }
  }
  EXPECT_EQ(io_remedy(ENOSPC), "free space");
  EXPECT_EQ(io_remedy(EROFS), "make the folder writable");
  const std::string unreadable = make_io_error("open for reading", "/data/tracks.csv", EACCES).what();
  EXPECT_EQ(unreadable,
            "cannot open for reading '/data/tracks.csv': Permission denied; check the file's permissions and the "
            "storage device, then rerun");
}

TEST(IoError, OtherErrnosStayDataErrors) {
  for (const int error : {ENOENT, ENOTDIR, EISDIR, EINVAL}) {
    EXPECT_FALSE(is_environment_error(error)) << error;
    EXPECT_THROW(throw_file_error("open for reading", "/x/manifest.json", error), DataError) << error;
  }
  try {
    throw_file_error("open for reading", "/x/manifest.json", ENOENT);
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "cannot open for reading '/x/manifest.json': No such file or directory");
  }
}

TEST(IoError, NoSpaceSaysHowMuchIsLeft) {
  const IoError error = make_io_error("write", "/tmp/musictag-no-such-file.h5", ENOSPC);
  EXPECT_NE(error.reason().find("No space left on device ("), std::string::npos) << error.reason();
  EXPECT_NE(error.reason().find(" available)"), std::string::npos) << error.reason();
}

TEST(IoError, OutputAdviceReplacesTheDefaultOnlyForFilesInTheFolder) {
  const auto fail_in = [](const std::string& path) {
    return [path]() -> int { throw make_io_error("write", path, ENOSPC); };
  };
  const std::string rerun = "rerun the same command to resume (finished parts are kept)";
  try {
    with_output_advice("/scratch/out/", "preprocess.output", rerun, fail_in("/scratch/out/parts/a.h5.partial"));
    FAIL() << "no exception";
  } catch (const IoError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cannot write '/scratch/out/parts/a.h5.partial': No space left on device"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("; free space or set preprocess.output elsewhere; " + rerun), std::string::npos) << message;
    EXPECT_EQ(message.find("write elsewhere"), std::string::npos) << message;
  }
  try {
    with_output_advice("/scratch/out", "preprocess.output", rerun, fail_in("/scratch/outside.txt"));
    FAIL() << "no exception";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("or write elsewhere, then rerun"), std::string::npos) << e.what();
  }
  EXPECT_EQ(with_output_advice("/a", "x.output", rerun, [] { return 7; }), 7);
  EXPECT_TRUE(is_inside_folder("out/parts/x.h5", "out"));
  EXPECT_TRUE(is_inside_folder("out//parts/x.h5", "out/"));
  EXPECT_FALSE(is_inside_folder("output/x.h5", "out"));
  EXPECT_FALSE(is_inside_folder("x.h5", ""));
}

TEST(IoError, AFailedStreamWriteOnAFullDeviceIsNoSpace) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no writable /dev/full";
  std::ofstream out("/dev/full");
  ASSERT_TRUE(out);
  errno = 0;
  out << std::string(1 << 16, 'x');
  out.flush();
  ASSERT_FALSE(out);
  try {
    throw_stream_write_error("append to", "/dev/full");
    FAIL() << "no exception";
  } catch (const IoError& e) {
    EXPECT_EQ(e.system_error(), ENOSPC);
    EXPECT_EQ(e.reason().rfind("cannot append to '/dev/full': No space left on device", 0), 0u) << e.reason();
  }
}

TEST(IoError, SpaceOfTheNearestExistingFolder) {
  EXPECT_GT(available_bytes("/tmp/musictag-no-such-folder/deeper/file.h5"), 0);
  EXPECT_EQ(likely_write_error("/tmp"), 0);  // a roomy file system: no reason to guess ENOSPC
}

}  // namespace
}  // namespace musictag
