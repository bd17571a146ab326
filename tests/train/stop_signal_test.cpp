// Stop signals: SIGUSR1 / SIGTERM set the flag through the installed handler; kExitPreempted stays distinct.
#include <gtest/gtest.h>

#include <csignal>

#include "cluster/comm/mpi_communicator.h"
#include "cluster/fatal.h"
#include "train/stop_signal.h"

namespace musictag::train {
namespace {

TEST(StopSignal, Sigusr1SetsTheFlag) {
  install_stop_signal_handlers();
  clear_stop_request();
  EXPECT_FALSE(stop_requested());
  ASSERT_EQ(std::raise(SIGUSR1), 0);  // the process survives: the handler replaced the default (terminate)
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_signal_number(), SIGUSR1);
  clear_stop_request();
  EXPECT_FALSE(stop_requested());
  EXPECT_EQ(stop_signal_number(), 0);
}

TEST(StopSignal, SigtermSetsTheFlagAndTheFirstSignalIsKept) {
  install_stop_signal_handlers();
  install_stop_signal_handlers();  // idempotent
  clear_stop_request();
  ASSERT_EQ(std::raise(SIGTERM), 0);
  ASSERT_EQ(std::raise(SIGUSR1), 0);
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_signal_number(), SIGTERM);
  clear_stop_request();
}

TEST(StopSignal, RequestStopWithoutASignal) {
  clear_stop_request();
  request_stop();
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_signal_number(), 0);
  clear_stop_request();
}

// Two ranks simulated in one process: the other rank's flag is added by the "all-reduce".
class TwoRankFake final : public cluster::Communicator {
 public:
  explicit TwoRankFake(int other_flag) : other_flag_(other_flag) {}
  int rank() const override { return 0; }
  int size() const override { return 2; }
  cluster::Backend backend() const override { return cluster::Backend::Mpi; }
  at::Device device() const override { return at::Device(at::kCPU); }
  std::unique_ptr<cluster::PendingWork> all_reduce_async(const at::Tensor& tensor, cluster::ReduceOp op) override {
    EXPECT_EQ(op, cluster::ReduceOp::Sum);
    EXPECT_EQ(tensor.numel(), 1);
    tensor.add_(other_flag_);
    ++calls;
    struct Done final : cluster::PendingWork {
      void wait() override {}
      bool is_completed() override { return true; }
    };
    return std::make_unique<Done>();
  }
  void broadcast(const at::Tensor&, int) override {}
  void barrier() override {}
  int calls = 0;

 protected:
  std::vector<int64_t> gather_int64(int64_t v) override { return {v, v}; }
  std::vector<double> gather_double(double v) override { return {v, v}; }
  std::vector<std::string> gather_string(const std::string& v) override { return {v, v}; }

 private:
  int other_flag_;
};

TEST(StopSignal, AnyRanksFlagReachesEveryRank) {
  clear_stop_request();
  TwoRankFake quiet(0), stopping(1);
  EXPECT_FALSE(any_rank_stop_requested(quiet));
  EXPECT_TRUE(any_rank_stop_requested(stopping));  // only the other rank got the signal
  request_stop();
  EXPECT_TRUE(any_rank_stop_requested(quiet));
  EXPECT_EQ(quiet.calls, 2);
  clear_stop_request();

  cluster::MpiCommunicator alone{cluster::World{}};  // one process, no MPI: the identity
  EXPECT_FALSE(any_rank_stop_requested(alone));
  request_stop();
  EXPECT_TRUE(any_rank_stop_requested(alone));
  clear_stop_request();
}

TEST(StopSignal, ExitCodeIsDistinct) {
  for (int code : {cluster::kExitOk, cluster::kExitOtherError, cluster::kExitConfigError, cluster::kExitDataError,
                   cluster::kExitCommError, 124, 137})
    EXPECT_NE(kExitPreempted, code);
  EXPECT_EQ(kExitPreempted, 75);  // EX_TEMPFAIL
}

}  // namespace
}  // namespace musictag::train
