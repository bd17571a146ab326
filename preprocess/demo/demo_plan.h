// The demo dataset's plan: artists, albums and tracks with ids, genres, split, subset, metadata and which
// tracks get a deliberately bad audio file. Deterministic in (track count, seed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace musictag::preprocess {

// What the audio file of a track is. Every kind except kGood imitates a problem found in the real FMA.
enum class DemoClipKind { kGood, kZeroBytes, kTruncated, kNotMp3, kShort, kSilent, kMissing };
const char* demo_clip_kind_name(DemoClipKind kind);  // "good", "zero_bytes", ...

struct DemoArtist {
  int id = 0;
  std::string name, bio, location, members, website, tags;
  double latitude = 0, longitude = 0;
  int64_t created = 0;  // unix seconds
  int active_year_begin = 0, favorites = 0, comments = 0;
  std::string split;  // all of an artist's tracks share a split (FMA's splits are artist-disjoint)
};

struct DemoAlbum {
  int id = 0;
  size_t artist = 0;  // index into DemoPlan::artists
  std::string title, type, information, tags;
  int64_t created = 0, released = 0;  // released 0 = unknown
  int tracks = 0, listens = 0, favorites = 0, comments = 0;
};

struct DemoTrack {
  int64_t id = 0;
  size_t artist = 0, album = 0;  // indices into DemoPlan
  std::vector<int> genres, genres_all;
  int genre_top = 0;  // the single root of `genres`, 0 when they span several roots
  std::string split, subset;
  DemoClipKind kind = DemoClipKind::kGood;
  int channels = 2;  // of the mp3 (a few demo clips are mono, as some FMA uploads)
  int bit_rate = 192000, duration_s = 0, number = 0, listens = 0, favorites = 0, interest = 0, comments = 0;
  std::string title, information, license, language_code, tags, composer;
  int64_t created = 0;
  uint64_t audio_seed = 0;
  int64_t audio_copy_of = 0;  // 0, or the id of the track whose audio file this one's is a bit-identical copy of
};

struct DemoPlan {
  std::vector<DemoArtist> artists;
  std::vector<DemoAlbum> albums;
  std::vector<DemoTrack> tracks;  // sorted by id
};

constexpr int kDemoMinTracks = 12;  // six bad files plus at least as many good ones

// One good track's audio file is a bit-identical copy of another's (FMA and MTG-Jamendo ship such duplicates under
// several ids): the highest-id good test track whose genres_all equals a good training track's copies the
// lowest-id such training track (channels and bit rate included), so its labels still match what it sounds like
// and the pair spans two splits (a cross-split duplicate). Without such a pair (small demos) the highest-id good
// test track copies the lowest-id good training track, labels unchanged. None without a good track in both.
// Throws ConfigError when n_tracks is outside [kDemoMinTracks, 999999].
DemoPlan plan_demo_dataset(int n_tracks, uint64_t seed);

// FMA's audio path of a track relative to the audio folder: "000/000002.mp3".
std::string demo_audio_relative_path(int64_t track_id);

}  // namespace musictag::preprocess
