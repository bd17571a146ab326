// RealFft against a naive DFT for every even length up to 258 and the usual power-of-two and 400/1000 sizes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "cluster/errors.h"
#include "preprocess/features/fft_real.h"

namespace musictag::preprocess {
namespace {

// sum_t x[t] * exp(-2*pi*i*k*t/n) in long double, with k*t reduced mod n so the angle stays exact.
std::complex<double> naive_bin(const std::vector<double>& x, int64_t k) {
  const auto n = static_cast<int64_t>(x.size());
  long double re = 0, im = 0;
  for (int64_t t = 0; t < n; ++t) {
    const long double angle = -2.0L * M_PI * static_cast<long double>((k * t) % n) / static_cast<long double>(n);
    re += x[t] * std::cos(angle);
    im += x[t] * std::sin(angle);
  }
  return {static_cast<double>(re), static_cast<double>(im)};
}

TEST(RealFft, MatchesNaiveDftForManyLengthsInAnyOrder) {
  // FFmpeg 5.1's own RDFT fails some of these depending on which lengths were set up before, so build all
  // transforms first (shuffled) and check them afterwards.
  std::vector<int64_t> lengths;
  for (int64_t n = 2; n <= 258; n += 2) lengths.push_back(n);
  for (int64_t n : {400, 512, 1000, 1024, 2048}) lengths.push_back(n);
  std::mt19937 rng(42);
  std::shuffle(lengths.begin(), lengths.end(), rng);
  std::vector<std::unique_ptr<RealFft>> ffts;
  for (int64_t n : lengths) ffts.push_back(std::make_unique<RealFft>(n));

  std::normal_distribution<double> noise;
  for (auto& fft : ffts) {
    const int64_t n = fft->size();
    SCOPED_TRACE(n);
    std::vector<double> x(static_cast<size_t>(n));
    for (double& v : x) v = noise(rng);
    std::vector<std::complex<double>> bins(static_cast<size_t>(fft->n_bins()));
    fft->forward(x.data(), bins.data());
    double scale = 0.0;
    for (double v : x) scale += std::abs(v);
    for (int64_t k = 0; k < fft->n_bins(); ++k) {
      const auto expected = naive_bin(x, k);
      ASSERT_LE(std::abs(bins[k] - expected), 1e-13 * scale) << "bin " << k;
    }
    EXPECT_EQ(bins[0].imag(), 0.0);
  }
}

TEST(RealFft, RefusesOddOrTinyLengths) {
  EXPECT_THROW(RealFft(0), DataError);
  EXPECT_THROW(RealFft(7), DataError);
  EXPECT_NO_THROW(RealFft(2));
}

}  // namespace
}  // namespace musictag::preprocess
