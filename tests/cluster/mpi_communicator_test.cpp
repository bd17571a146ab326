// MPI backend across the ranks of this job: exact all-reduce, async, broadcast, all-gather and barrier results.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cluster/comm/communicator.h"
#include "cluster/errors.h"
#include "cluster/world.h"

namespace musictag::cluster {
namespace {

class MpiCommunicatorTest : public ::testing::Test {
 protected:
  MpiCommunicatorTest()
      : comm_(make_communicator(World::resolve(), Backend::Mpi)), n_(comm_->size()), r_(comm_->rank()) {}

  // Sum over ranks q of (q + 1): the factor every rank-scaled test value ends up multiplied by.
  double rank_factor_sum() const { return n_ * (n_ + 1) / 2.0; }

  std::unique_ptr<Communicator> comm_;
  const int n_;
  const int r_;
};

// Element-wise equality, bit for bit (the values are chosen so every sum and quotient is exactly representable).
template <class T>
void expect_exactly(const at::Tensor& actual, const std::vector<T>& expected) {
  ASSERT_EQ(actual.numel(), static_cast<int64_t>(expected.size()));
  const at::Tensor values = actual.to(c10::CppTypeToScalarType<T>::value).contiguous();
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(values.data_ptr<T>()[i], expected[i]) << "element " << i;
}

// Rank r holds (r + 1) * step * (i - 3), i = 0..7: small dyadic values, so sums and the averages below are exact.
at::Tensor ramp(int rank, double step, at::ScalarType type) {
  return ((at::arange(8, at::kDouble) - 3) * ((rank + 1) * step)).to(type);
}

template <class T>
std::vector<T> expected_ramp(double factor, double step) {
  std::vector<T> values;
  for (int i = 0; i < 8; ++i) values.push_back(static_cast<T>(factor * step * (i - 3)));
  return values;
}

TEST_F(MpiCommunicatorTest, SumAndAverageOfFloat32AreExact) {
  const at::Tensor sum = ramp(r_, 0.25, at::kFloat);
  comm_->all_reduce(sum, ReduceOp::Sum);
  EXPECT_EQ(sum.scalar_type(), at::kFloat);
  expect_exactly(sum, expected_ramp<float>(rank_factor_sum(), 0.25));

  const at::Tensor average = ramp(r_, 0.25, at::kFloat);
  comm_->all_reduce(average, ReduceOp::Average);
  expect_exactly(average, expected_ramp<float>(rank_factor_sum() / n_, 0.25));
}

TEST_F(MpiCommunicatorTest, SumAndAverageOfFloat64AreExact) {
  const double step = std::ldexp(1.0, -30);
  const at::Tensor sum = ramp(r_, step, at::kDouble);
  comm_->all_reduce(sum, ReduceOp::Sum);
  expect_exactly(sum, expected_ramp<double>(rank_factor_sum(), step));

  const at::Tensor average = ramp(r_, step, at::kDouble);
  comm_->all_reduce(average, ReduceOp::Average);
  expect_exactly(average, expected_ramp<double>(rank_factor_sum() / n_, step));
}

TEST_F(MpiCommunicatorTest, HalfAndBFloat16ReduceThroughFloat32AndKeepTheirDtype) {
  for (at::ScalarType type : {at::kHalf, at::kBFloat16}) {
    const at::Tensor sum = ramp(r_, 0.5, type);
    comm_->all_reduce(sum, ReduceOp::Sum);
    EXPECT_EQ(sum.scalar_type(), type);
    expect_exactly(sum, expected_ramp<float>(rank_factor_sum(), 0.5));

    const at::Tensor average = ramp(r_, 0.5, type);
    comm_->all_reduce(average, ReduceOp::Average);
    expect_exactly(average, expected_ramp<float>(rank_factor_sum() / n_, 0.5));
  }
}

TEST_F(MpiCommunicatorTest, IntegerSumsAreExactAndUint8Wraps) {
  const int64_t big = int64_t{1} << 40;
  const at::Tensor longs = at::arange(-5, 5, at::kLong) + r_ * big;
  comm_->all_reduce(longs, ReduceOp::Sum);
  std::vector<int64_t> expected;
  for (int64_t i = -5; i < 5; ++i) expected.push_back(n_ * i + big * (n_ * (n_ - 1) / 2));
  expect_exactly(longs, expected);

  const at::Tensor ints = at::full({4}, 1000 * (r_ + 1), at::kInt);
  comm_->all_reduce(ints, ReduceOp::Sum);
  expect_exactly(ints, std::vector<int32_t>(4, static_cast<int32_t>(1000 * rank_factor_sum())));

  const at::Tensor bytes = at::full({3}, 200 + r_, at::kByte);
  comm_->all_reduce(bytes, ReduceOp::Sum);
  expect_exactly(bytes, std::vector<uint8_t>(3, static_cast<uint8_t>((200 * n_ + n_ * (n_ - 1) / 2) % 256)));
}

TEST_F(MpiCommunicatorTest, IntegerAverageIsRefusedOnEveryRank) {
  EXPECT_THROW(comm_->all_reduce(at::ones({4}, at::kLong), ReduceOp::Average), CommError);
  EXPECT_THROW(comm_->all_reduce_async(at::ones({4}, at::kInt), ReduceOp::Average), CommError);
}

TEST_F(MpiCommunicatorTest, AsyncAllReducesFinishInAnyOrder) {
  const at::Tensor first = ramp(r_, 0.25, at::kFloat);
  const at::Tensor second = at::full({1000}, r_ + 1, at::kLong);
  auto first_work = comm_->all_reduce_async(first, ReduceOp::Average);
  auto second_work = comm_->all_reduce_async(second, ReduceOp::Sum);
  second_work->wait();
  first_work->wait();
  EXPECT_TRUE(first_work->is_completed());
  expect_exactly(first, expected_ramp<float>(rank_factor_sum() / n_, 0.25));
  expect_exactly(second, std::vector<int64_t>(1000, static_cast<int64_t>(rank_factor_sum())));
}

TEST_F(MpiCommunicatorTest, DiscardedAsyncWorkStillCompletes) {
  const at::Tensor tensor = at::ones({16}, at::kDouble);
  { auto work = comm_->all_reduce_async(tensor, ReduceOp::Sum); }
  expect_exactly(tensor, std::vector<double>(16, n_));
}

TEST_F(MpiCommunicatorTest, BroadcastFromFirstAndLastRankIsExact) {
  for (int root : {0, n_ - 1}) {
    const at::Tensor floats = at::arange(6, at::kFloat) / 3 + r_;  // thirds: inexact values, copied bitwise
    comm_->broadcast(floats, root);
    EXPECT_TRUE(at::equal(floats, at::arange(6, at::kFloat) / 3 + root)) << "root " << root;
    const at::Tensor halves = (at::arange(5, at::kFloat) / 7 + r_).to(at::kHalf);
    comm_->broadcast(halves, root);
    EXPECT_TRUE(at::equal(halves, (at::arange(5, at::kFloat) / 7 + root).to(at::kHalf))) << "root " << root;
    const at::Tensor longs = at::full({3}, (int64_t{1} << 50) + r_, at::kLong);
    comm_->broadcast(longs, root);
    expect_exactly(longs, std::vector<int64_t>(3, (int64_t{1} << 50) + root));
  }
}

TEST_F(MpiCommunicatorTest, BroadcastFromAMissingRankIsRefusedOnEveryRank) {
  EXPECT_THROW(comm_->broadcast(at::zeros({2}), n_), CommError);
}

TEST_F(MpiCommunicatorTest, AllGatherIsIndexedByRank) {
  const std::vector<int64_t> integers = comm_->all_gather(int64_t{1000} * r_ - 7);
  const std::vector<double> doubles = comm_->all_gather(r_ + 0.1);
  const std::vector<std::string> strings = comm_->all_gather(std::string(r_, 'x') + (r_ == 0 ? "" : "!"));
  ASSERT_EQ(integers.size(), static_cast<std::size_t>(n_));
  ASSERT_EQ(doubles.size(), static_cast<std::size_t>(n_));
  ASSERT_EQ(strings.size(), static_cast<std::size_t>(n_));
  for (int q = 0; q < n_; ++q) {
    EXPECT_EQ(integers[q], int64_t{1000} * q - 7);
    EXPECT_EQ(doubles[q], q + 0.1);
    EXPECT_EQ(strings[q], std::string(q, 'x') + (q == 0 ? "" : "!"));
  }
}

// Rank 0 writes a file only after a pause; every rank must see it once the barrier returns.
TEST_F(MpiCommunicatorTest, BarrierOrdersWorkAcrossRanks) {
  const std::string mine =
      (std::filesystem::temp_directory_path() / ("musictag-barrier-" + std::to_string(::getpid()))).string();
  const std::string path = comm_->all_gather(mine)[0];
  if (r_ == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::ofstream(path) << "written before the barrier\n";
  }
  comm_->barrier();
  EXPECT_TRUE(std::filesystem::exists(path)) << path;
  comm_->barrier();
  if (r_ == 0) std::filesystem::remove(path);
}

}  // namespace
}  // namespace musictag::cluster
