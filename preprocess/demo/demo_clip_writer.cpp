// write_demo_clip: synthesis + LAME encoding for good, short and silent clips; truncation, zero bytes and a text
// file for the broken ones.
#include "preprocess/demo/demo_clip_writer.h"

#include <fstream>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "preprocess/demo/demo_genre_tree.h"
#include "preprocess/demo/demo_synth.h"
#include "preprocess/demo/mp3_encoder.h"

namespace musictag::preprocess {
namespace {

namespace fs = std::filesystem;

void encode_clip(const fs::path& path, const DemoPlan& plan, const DemoTrack& track, double seconds, bool silent) {
  DemoClipRecipe recipe;
  recipe.genres = track.genres_all;
  recipe.seed = track.audio_seed;
  recipe.duration_s = seconds;
  recipe.sample_rate = kDemoSampleRate;
  recipe.channels = track.channels;
  recipe.silent = silent;
  const DemoAudio audio = synthesize_demo_clip(recipe);

  Mp3EncoderOptions options;
  options.sample_rate = kDemoSampleRate;
  options.channels = track.channels;
  options.bit_rate = track.bit_rate;
  options.compression_level = 7;  // LAME -q 7: ~1.7x faster than -q 5, plenty for synthetic clips
  options.tags = {{"title", track.title},
                  {"artist", plan.artists.at(track.artist).name},
                  {"album", plan.albums.at(track.album).title},
                  {"track", std::to_string(track.number)}};
  if (track.genre_top != 0) options.tags["genre"] = demo_genre_tree().genre(track.genre_top).title;
  write_mp3_file(path.string(), audio.plane_pointers(), audio.frames(), options);
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw DataError("demo dataset: cannot write " + path.string());
}

// Cuts a complete MP3 to about a third, inside a frame (never right at a frame sync word).
void truncate_mid_frame(const fs::path& path) {
  const uintmax_t size = fs::file_size(path);
  uintmax_t cut = size / 3 + 7;
  std::ifstream in(path, std::ios::binary);
  for (; cut + 1 < size; ++cut) {
    unsigned char bytes[2] = {0, 0};
    in.seekg(static_cast<std::streamoff>(cut));
    in.read(reinterpret_cast<char*>(bytes), 2);
    if (!(bytes[0] == 0xFF && (bytes[1] & 0xE0) == 0xE0)) break;
  }
  in.close();
  fs::resize_file(path, cut);
}

}  // namespace

uintmax_t write_demo_clip(const fs::path& audio_dir, const DemoPlan& plan, const DemoTrack& track) {
  return write_demo_clip_file(audio_dir / demo_audio_relative_path(track.id), plan, track);
}

uintmax_t write_demo_clip_file(const fs::path& final_path, const DemoPlan& plan, const DemoTrack& track) {
  fs::path partial = final_path;
  partial += ".partial";
  fs::create_directories(final_path.parent_path());
  switch (track.kind) {
    case DemoClipKind::kMissing:
      fs::remove(final_path);
      return 0;
    case DemoClipKind::kGood:
      encode_clip(partial, plan, track, kDemoClipSeconds, false);
      break;
    case DemoClipKind::kShort:
      encode_clip(partial, plan, track, kDemoShortClipSeconds, false);
      break;
    case DemoClipKind::kSilent:
      encode_clip(partial, plan, track, kDemoClipSeconds, true);
      break;
    case DemoClipKind::kTruncated:
      encode_clip(partial, plan, track, kDemoClipSeconds, false);
      truncate_mid_frame(partial);
      break;
    case DemoClipKind::kZeroBytes:
      write_text(partial, "");
      break;
    case DemoClipKind::kNotMp3:
      write_text(partial,
                 "<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found"
                 "</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n");
      break;
  }
  commit_partial_file(partial.string(), final_path.string());
  return fs::file_size(final_path);
}

}  // namespace musictag::preprocess
