// RealFft: a real-input DFT built from FFmpeg's half-length complex FFT plus the even/odd untangling step.
#include "preprocess/features/fft_real.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "cluster/errors.h"
#include "preprocess/features/av_check.h"

extern "C" {
#include <libavutil/mem.h>
}

namespace musictag::preprocess {
namespace {

AVComplexDouble* allocate(int64_t count) {
  auto* buffer = static_cast<AVComplexDouble*>(av_malloc(static_cast<size_t>(count) * sizeof(AVComplexDouble)));
  if (buffer == nullptr) throw DataError(fmt::format("RealFft: out of memory for {} complex values", count));
  return buffer;
}

}  // namespace

void RealFft::AlignedDeleter::operator()(AVComplexDouble* buffer) const { av_free(buffer); }

RealFft::RealFft(int64_t n) : n_(n), half_(n / 2) {
  if (n < 2 || n % 2 != 0 || n > (int64_t{1} << 30))
    throw DataError(fmt::format("RealFft: length must be even and in [2, 2^30], got {}", n));
  AVTXContext* context = nullptr;
  const double scale = 1.0;
  AV_CHECK_CTX(av_tx_init(&context, &transform_, AV_TX_DOUBLE_FFT, 0, static_cast<int>(half_), &scale, 0),
               fmt::format("complex FFT of {} points for a real FFT of {}", half_, n));
  context_.reset(context);
  packed_.reset(allocate(half_));
  spectrum_.reset(allocate(half_));
  twiddle_.resize(static_cast<size_t>(half_ + 1));
  for (int64_t k = 0; k <= half_; ++k) {
    const double angle = -2.0 * M_PI * static_cast<double>(k) / static_cast<double>(n);
    twiddle_[k] = {std::cos(angle), std::sin(angle)};
  }
  if (half_ % 2 == 0) twiddle_[half_ / 2] = {0.0, -1.0};  // exact where the angle is a right angle
}

void RealFft::forward(const double* samples, std::complex<double>* bins) {
  // n reals x[0], x[1], ... are already laid out as n/2 complex values x[2j] + i*x[2j+1].
  std::memcpy(packed_.get(), samples, static_cast<size_t>(n_) * sizeof(double));
  transform_(context_.get(), spectrum_.get(), packed_.get(), sizeof(AVComplexDouble));

  // Z = E + i*O where E, O are the DFTs of the even and odd samples; X[k] = E[k] + w^k * O[k] with
  // E[k] = (Z[k] + conj(Z[n/2-k])) / 2 and O[k] = -i * (Z[k] - conj(Z[n/2-k])) / 2 (indices mod n/2).
  // Spelled out in real arithmetic: std::complex's operator* would call __muldc3 (NaN/inf rules) every bin.
  const AVComplexDouble* Z = spectrum_.get();
  bins[0] = {Z[0].re + Z[0].im, 0.0};  // k = 0 and k = n/2 both pair Z[0] with itself
  bins[half_] = {Z[0].re - Z[0].im, 0.0};
  for (int64_t k = 1; k < half_; ++k) {
    const AVComplexDouble a = Z[k], b = Z[half_ - k];
    const double even_re = 0.5 * (a.re + b.re), even_im = 0.5 * (a.im - b.im);
    const double odd_re = 0.5 * (a.im + b.im), odd_im = -0.5 * (a.re - b.re);
    const double w_re = twiddle_[k].real(), w_im = twiddle_[k].imag();
    bins[k] = {even_re + w_re * odd_re - w_im * odd_im, even_im + w_re * odd_im + w_im * odd_re};
  }
}

}  // namespace musictag::preprocess
