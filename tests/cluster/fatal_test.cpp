// fatal() and run_guarded() in a single process: exit codes per error type, no abort without an MPI job.
#include <gtest/gtest.h>

#include <stdexcept>

#include "cluster/errors.h"
#include "cluster/fatal.h"

namespace musictag::cluster {
namespace {

TEST(Fatal, ExitCodePerErrorType) {
  EXPECT_EQ(exit_code_for(ConfigError("bad key")), 2);
  EXPECT_EQ(exit_code_for(DataError("bad file")), 3);
  EXPECT_EQ(exit_code_for(CommError("bad launch")), 4);
  EXPECT_EQ(exit_code_for(IoError("cannot write 'x': No space left on device", "free space", "x", 28)), 5);
  EXPECT_EQ(exit_code_for(Error("plain musictag error")), 1);
  EXPECT_EQ(exit_code_for(std::runtime_error("other")), 1);
}

TEST(Fatal, ReturnsTheExitCodeWhenNotInAnMpiJob) {
  EXPECT_EQ(fatal(DataError("corrupt part (test)")), kExitDataError);
  EXPECT_EQ(fatal_unknown(), kExitOtherError);
}

TEST(RunGuarded, ReturnsTheBodysCodeOrTheErrorsExitCode) {
  EXPECT_EQ(run_guarded([] { return 0; }), kExitOk);
  EXPECT_EQ(run_guarded([] { return 7; }), 7);
  EXPECT_EQ(run_guarded([]() -> int { throw ConfigError("train.lr: expected (0,inf), got -1 (test)"); }), 2);
  EXPECT_EQ(run_guarded([]() -> int { throw CommError("peer gone (test)"); }), 4);
  EXPECT_EQ(run_guarded([]() -> int { throw 42; }), 1);
}

}  // namespace
}  // namespace musictag::cluster
