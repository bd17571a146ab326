// Times forward + backward of the paper's CRNN on CPU (informal; bench/ holds the real benchmarks).
#include <ATen/Parallel.h>
#include <torch/nn/functional/loss.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "train/models/crnn.h"

// Usage: crnn_timing [batch=16] [threads=2] [steps=3]
int main(int argc, char** argv) {
  const int64_t batch = argc > 1 ? std::atoll(argv[1]) : 16;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  const int steps = argc > 3 ? std::atoi(argv[3]) : 3;
  at::set_num_threads(threads);
  torch::manual_seed(0);
  musictag::train::Crnn model(musictag::train::CrnnOptions(50));
  model->train();
  const auto x = torch::randn({batch, 96, 1366});
  const auto y = (torch::rand({batch, 50}) < 0.1).to(torch::kFloat32);
  auto step = [&] {
    model->zero_grad();
    torch::nn::functional::binary_cross_entropy_with_logits(model->forward(x), y).backward();
  };
  step();  // warm-up
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / steps;
  std::printf("C++ libtorch: default CRNN, batch %lld, %d threads, forward+backward %.3f s/step = %.2f samples/s\n",
              static_cast<long long>(batch), threads, seconds, batch / seconds);
  return 0;
}
