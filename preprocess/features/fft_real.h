// RealFft: forward DFT of n real samples to n/2+1 complex bins in double, on FFmpeg's complex FFT (libavutil/tx.h).
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <vector>

extern "C" {
#include <libavutil/tx.h>
}

namespace musictag::preprocess {

// FFmpeg 5.1's own AV_TX_DOUBLE_RDFT is not used: measured here it returns wrong bins for many lengths (every
// n = 2 * odd, 132, 140, ...) and even for n = 16 / 32 depending on which other lengths were initialised before.
// Its complex AV_TX_DOUBLE_FFT is right for every length (checked 1..2100 in any order against a naive DFT), so
// the real transform is the textbook one: pack x[2j] + i*x[2j+1] into a complex FFT of n/2 points and untangle
// the even and odd halves with n/2 + 1 twiddles (written by hand, ~20 lines; no Debian FFT library is needed).
//
// One object owns its context and aligned buffers: no allocation per transform. Not thread-safe; one per thread.
class RealFft {
 public:
  explicit RealFft(int64_t n);  // n even, >= 2; DataError (AV_CHECK) when FFmpeg cannot build the transform

  int64_t size() const { return n_; }
  int64_t n_bins() const { return n_ / 2 + 1; }
  // X[k] = sum_t x[t] * exp(-2*pi*i*k*t/n) for k = 0..n/2, unnormalised (numpy.fft.rfft's convention).
  // `bins` must hold n_bins() values; `samples` n values.
  void forward(const double* samples, std::complex<double>* bins);

 private:
  struct TxDeleter {
    void operator()(AVTXContext* context) const { av_tx_uninit(&context); }
  };
  struct AlignedDeleter {
    void operator()(AVComplexDouble* buffer) const;
  };
  using Buffer = std::unique_ptr<AVComplexDouble, AlignedDeleter>;

  int64_t n_ = 0, half_ = 0;
  std::unique_ptr<AVTXContext, TxDeleter> context_;
  av_tx_fn transform_ = nullptr;
  Buffer packed_, spectrum_;                   // n/2 points each, av_malloc'd (FFmpeg's alignment)
  std::vector<std::complex<double>> twiddle_;  // exp(-2*pi*i*k/n), k = 0..n/2
};

}  // namespace musictag::preprocess
