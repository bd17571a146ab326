// TrainLog on a full disk: metrics.jsonl is a link to /dev/full, so the first record's write fails with ENOSPC.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "cluster/errors.h"
#include "train/train_log.h"

namespace musictag::train {
namespace {

TEST(TrainLogIo, AFullDiskIsAnIoErrorNamingMetricsJsonl) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no writable /dev/full";
  char pattern[] = "/tmp/musictag-train-log-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string folder = pattern, metrics = folder + "/metrics.jsonl";
  ASSERT_EQ(::symlink("/dev/full", metrics.c_str()), 0) << errno;
  try {
    TrainLog log(folder);
    log.step({});
    ADD_FAILURE() << "no exception";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("cannot append to '" + metrics + "': No space left on device", 0), 0u) << message;
    EXPECT_EQ(error.path(), metrics);
  }
  ::unlink(metrics.c_str());
  ::rmdir(folder.c_str());
}

}  // namespace
}  // namespace musictag::train
