// musictag-make-demo: writes the synthetic demo dataset in FMA's or MTG-Jamendo's format (flags, progress lines;
// errors through cluster::run_guarded: exit 2 for a ConfigError, 3 for a DataError).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "cluster/fatal.h"
#include "preprocess/demo/demo_dataset.h"

int main(int argc, char** argv) {
  using namespace musictag;
  preprocess::DemoDatasetOptions options;
  CLI::App app{
      "Writes a small synthetic dataset in the Free Music Archive's exact on-disk format (fma_metadata/tracks.csv "
      "with FMA's 3 header rows and 52 columns, genres.csv, audio/NNN/NNNNNN.mp3: 30 s, 44.1 kHz LAME MP3s whose "
      "sound carries their genres), including a few broken files like the real FMA's (zero bytes, truncated, "
      "not an MP3, too short, silent, missing; listed in fma_metadata/README_demo.txt). With --format jamendo the "
      "same tracks are written in MTG-Jamendo's layout instead: autotagging*.tsv, splits/split-0..4/*.tsv (tab-"
      "separated, CRLF, one tag per field; genre, instrument and mood/theme tags), tags/, audio/NN/<id>.mp3 and "
      "README_demo.txt. The same --format, --tracks and --seed give byte-identical files.",
      "musictag-make-demo"};
  app.add_option("--output,-o", options.output,
                 "Folder to write (created if missing; must be empty unless --overwrite)")
      ->required();
  app.add_option("--tracks", options.tracks, "Number of tracks, six of them with broken or missing audio")
      ->check(CLI::Range(preprocess::kDemoMinTracks, 999999))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Random seed")->capture_default_str();
  app.add_option("--threads", options.threads, "Encoding threads (0 = all cores)")
      ->check(CLI::Range(0, 1024))
      ->default_str(std::to_string(std::thread::hardware_concurrency()));
  std::string format = "fma";
  std::vector<std::string> formats;
  for (const auto& entry : preprocess::kDemoFormatNames) formats.emplace_back(entry.name);
  app.add_option("--format", format, "On-disk layout: fma (FMA's) or jamendo (MTG-Jamendo's)")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  app.add_flag("--overwrite", options.overwrite,
               "Allow a non-empty output folder: what the format writes (fma: audio/, fma_metadata/; jamendo: "
               "audio/, splits/, tags/, autotagging*.tsv, README_demo.txt) is deleted first (nothing else is)");
  app.footer(
      "Example: musictag-make-demo --output /tmp/fma-demo --tracks 300 --seed 1\n"
      "         musictag-make-demo --format jamendo --output /tmp/jamendo-demo --tracks 300 --seed 1");
  CLI11_PARSE(app, argc, argv);
  choice_value(preprocess::kDemoFormatNames, format.c_str(), options.format);  // checked by IsMember

  spdlog::set_pattern("[%H:%M:%S] %^%l%$: %v");
  return cluster::run_guarded([&] {
    const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
    spdlog::info("writing {} demo tracks in {}'s format (seed {}) to {} with {} threads", options.tracks,
                 choice_name(preprocess::kDemoFormatNames, options.format), options.seed, options.output, threads);
    const auto start = std::chrono::steady_clock::now();
    int last_reported = 0;
    const auto progress = [&](int done, int total) {
      const int step = std::max(1, total / 20);
      if (done != total && done - last_reported < step) return;
      last_reported = done;
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      spdlog::info("[{:>{}}/{}] {:3.0f}%  {:.1f} s elapsed, about {:.0f} s left", done, std::to_string(total).size(),
                   total, 100.0 * done / total, elapsed, elapsed / done * (total - done));
    };
    const preprocess::DemoDatasetSummary summary = preprocess::make_demo_dataset(options, progress);
    spdlog::info("done: {} tracks, {:.1f} MB of audio, {:.1f} s; broken on purpose:", summary.tracks,
                 summary.audio_bytes / 1e6, summary.seconds);
    for (const auto& [id, kind] : summary.bad_tracks) {
      spdlog::info("  track {:>6}: {}", id, preprocess::demo_clip_kind_name(kind));
    }
    return cluster::kExitOk;
  });
}
