// make_demo_dataset: checks the output folder, plans, writes the audio on a small thread pool (output
// independent of the thread count), then the format's metadata and the README_demo.txt sidecar, each atomically.
#include "preprocess/demo/demo_dataset.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "preprocess/demo/demo_clip_writer.h"
#include "preprocess/demo/demo_genre_tree.h"
#include "preprocess/demo/demo_jamendo_files.h"
#include "preprocess/demo/demo_jamendo_plan.h"
#include "preprocess/demo/demo_metadata_csv.h"

namespace musictag::preprocess {
namespace {

namespace fs = std::filesystem;

// What a format writes below the output folder: deleted first with --overwrite, nothing else is.
std::vector<fs::path> owned_entries(const DemoDatasetOptions& options) {
  const fs::path out(options.output);
  if (options.format == DemoFormat::fma) return {out / "audio", out / "fma_metadata"};
  std::vector<fs::path> entries = {out / "audio", out / "splits", out / "tags", out / "README_demo.txt"};
  for (const char* set : {"", "_top50tags", "_genre", "_instrument", "_moodtheme"})
    entries.push_back(out / (std::string("autotagging") + set + ".tsv"));
  return entries;
}

std::string owned_entries_text(const DemoDatasetOptions& options) {
  return options.format == DemoFormat::fma ? "audio/ and fma_metadata/"
                                           : "audio/, splits/, tags/, autotagging*.tsv and README_demo.txt";
}

void prepare_output(const DemoDatasetOptions& options) {
  if (options.output.empty()) throw ConfigError("demo dataset: --output is required");
  if (options.threads < 0) {
    throw ConfigError("demo dataset: threads must be >= 0, got " + std::to_string(options.threads));
  }
  const fs::path out(options.output);
  if (fs::exists(out)) {
    if (!fs::is_directory(out)) throw ConfigError("demo dataset: output '" + out.string() + "' is not a folder");
    if (!fs::is_empty(out)) {
      if (!options.overwrite) {
        throw ConfigError("demo dataset: output folder '" + out.string() + "' is not empty; pass --overwrite to " +
                          "replace its " + owned_entries_text(options) +
                          " (nothing else in it is touched), or choose an empty folder");
      }
      for (const fs::path& entry : owned_entries(options)) fs::remove_all(entry);
    }
  }
  fs::create_directories(out / "audio");
  if (options.format == DemoFormat::fma) fs::create_directories(out / "fma_metadata");
}

// Writes a text file through cluster/files' atomic path ("<path>.partial", fsync, rename).
template <typename WriteFn>
void write_atomically(const fs::path& path, WriteFn write) {
  std::ostringstream out;
  write(out);
  write_file_atomically(path.string(), out.str());
}

// The audio file of a track below audio/ in the format's layout.
fs::path audio_relative_path(const DemoDatasetOptions& options, int64_t track_id) {
  return options.format == DemoFormat::fma ? demo_audio_relative_path(track_id) : demo_jamendo_relative_path(track_id);
}

void write_audio(const DemoDatasetOptions& options, const DemoPlan& plan, const DemoProgress& progress,
                 DemoDatasetSummary& summary) {
  const fs::path audio_dir = fs::path(options.output) / "audio";
  const int total = static_cast<int>(plan.tracks.size());
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, total));

  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;  // guards done, bytes, error and progress calls
  int done = 0;
  uintmax_t bytes = 0;
  std::exception_ptr error;
  const auto work = [&] {
    for (int i = next++; i < total && !failed; i = next++) {
      try {
        const DemoTrack& track = plan.tracks[static_cast<size_t>(i)];
        if (track.audio_copy_of != 0) continue;  // copied below, once its original is written
        const uintmax_t size = write_demo_clip_file(audio_dir / audio_relative_path(options, track.id), plan, track);
        std::lock_guard<std::mutex> lock(mutex);
        bytes += size;
        ++done;
        if (progress) progress(done, total);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
  for (const DemoTrack& track : plan.tracks) {
    if (track.audio_copy_of == 0) continue;
    const std::string original =
        read_whole_file((audio_dir / audio_relative_path(options, track.audio_copy_of)).string());
    const fs::path copy = audio_dir / audio_relative_path(options, track.id);
    fs::create_directories(copy.parent_path());
    write_file_atomically(copy.string(), original);
    bytes += original.size();
    if (progress) progress(++done, total);
  }
  summary.audio_bytes = bytes;
}

std::string readme_text(const DemoDatasetOptions& options, const DemoPlan& plan, const GenreTree& tree) {
  const bool fma = options.format == DemoFormat::fma;
  std::ostringstream text;
  text << "musictag demo dataset (synthetic; not part of the real " << (fma ? "FMA" : "MTG-Jamendo") << ")\n"
       << "Generated by musictag-make-demo " << (fma ? "" : "--format jamendo ") << "--tracks " << options.tracks
       << " --seed " << options.seed << "\n";
  if (fma) {
    text << "Layout and CSV format follow FMA's fma_metadata + fma_large; clips are 30 s, 44.1 kHz MP3 (LAME).\n"
         << "Audio is synthesized so that each genre in track.genres_all has its own audible signature.\n\n"
         << "Tracks whose audio is deliberately broken, as some real FMA files are:\n";
  } else {
    text << "Layout and TSV format follow MTG-Jamendo's data/ folder (autotagging*.tsv, splits/split-<k>/, tags/),\n"
         << "with the audio at audio/<PATH>; tracks are 30 s, 44.1 kHz MP3 (LAME). Genre tags are audible, and so\n"
         << "are most instrument and mood/theme tags (derived from the genres); a few are uploader-style noise.\n\n"
         << "Tracks whose audio is deliberately broken:\n";
  }
  for (const DemoTrack& t : plan.tracks) {
    if (t.kind == DemoClipKind::kGood) continue;
    text << "  " << audio_relative_path(options, t.id).string() << "  track_id " << t.id << "  "
         << demo_clip_kind_name(t.kind) << '\n';
  }
  for (const DemoTrack& t : plan.tracks) {
    if (t.audio_copy_of == 0) continue;
    // Worded without "track_id", which the lines above use: scripts pick the broken tracks by it.
    text << "\nA bit-identical copy under another id, as both real datasets have: "
         << audio_relative_path(options, t.id).string() << " (" << t.split
         << ") = " << audio_relative_path(options, t.audio_copy_of).string() << '\n';
  }
  if (fma) text << "\nGenres (" << tree.genres().size() << "): see genres.csv.\n";
  return text.str();
}

DemoDatasetSummary make_demo_dataset_unchecked(const DemoDatasetOptions& options, const DemoProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  DemoPlan plan = plan_demo_dataset(options.tracks, options.seed);  // checks the track count first
  prepare_output(options);
  const GenreTree& tree = demo_genre_tree();

  DemoDatasetSummary summary;
  summary.tracks = static_cast<int>(plan.tracks.size());
  write_audio(options, plan, progress, summary);

  if (options.format == DemoFormat::fma) {
    const fs::path meta = fs::path(options.output) / "fma_metadata";
    write_atomically(meta / "genres.csv", [&](std::ostream& out) { write_demo_genres_csv(out, plan, tree); });
    write_atomically(meta / "tracks.csv", [&](std::ostream& out) { write_demo_tracks_csv(out, plan, tree); });
    write_atomically(meta / "README_demo.txt", [&](std::ostream& out) { out << readme_text(options, plan, tree); });
  } else {
    write_demo_jamendo_metadata(options.output, plan_demo_jamendo(plan, options.seed));
    write_atomically(fs::path(options.output) / "README_demo.txt",
                     [&](std::ostream& out) { out << readme_text(options, plan, tree); });
  }

  for (const DemoTrack& t : plan.tracks) {
    if (t.kind != DemoClipKind::kGood) summary.bad_tracks.emplace_back(t.id, t.kind);
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace

DemoDatasetSummary make_demo_dataset(const DemoDatasetOptions& options, const DemoProgress& progress) {
  try {
    return make_demo_dataset_unchecked(options, progress);
  } catch (const fs::filesystem_error& e) {
    throw DataError(std::string("demo dataset: ") + e.what());
  }
}

}  // namespace musictag::preprocess
