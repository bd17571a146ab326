// plan_demo_dataset: artist-grouped ids, artist-disjoint 80/10/10 splits, 1-2 roots and 1-3 leaf genres per
// track, subsets like FMA (small/medium only for tracks with a genre_top), six bad files.
#include "preprocess/demo/demo_plan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "cluster/errors.h"
#include "preprocess/demo/demo_genre_tree.h"
#include "preprocess/demo/demo_metadata_text.h"
#include "preprocess/demo/demo_random.h"
#include "preprocess/demo/demo_split.h"
#include "preprocess/sources/fma_list_literal.h"

namespace musictag::preprocess {
namespace {

constexpr int64_t kFmaStart = 1227600000;  // 2008-11-25, when FMA opened

// Leaf genres for one track: 1-2 roots (the artist's usual root first), each maybe refined by children.
std::vector<int> pick_genres(DemoRng& rng, int artist_root) {
  const GenreTree& tree = demo_genre_tree();
  const std::vector<int> roots = tree.roots();
  std::vector<int> chosen_roots = {rng.chance(0.45) ? artist_root : rng.pick(roots)};
  if (rng.chance(0.35)) {
    int other = rng.pick(roots);
    while (other == chosen_roots[0]) other = rng.pick(roots);
    chosen_roots.push_back(other);
  }
  std::vector<int> genres;
  int leaves = 0;
  for (int root : chosen_roots) {
    std::vector<int> children = tree.children(root);
    rng.shuffle(children);
    size_t n_children = rng.chance(0.7) ? (rng.chance(0.25) ? 2 : 1) : 0;
    n_children = std::min({n_children, children.size(), static_cast<size_t>(std::max(0, 3 - leaves))});
    if (n_children == 0 || rng.chance(0.25)) genres.push_back(root);  // FMA often lists the root with its child
    for (size_t i = 0; i < n_children; ++i) genres.push_back(children[i]);
    leaves += static_cast<int>(std::max<size_t>(1, n_children));
  }
  std::sort(genres.begin(), genres.end());
  return genres;
}

// The duplicate described in demo_plan.h; no draw from the random stream and no label changed, so every other
// track and the splits' genre counts stay as they were.
void add_duplicate(DemoPlan& plan) {
  const auto good_in = [](const DemoTrack& t, const char* split) {
    return t.kind == DemoClipKind::kGood && t.split == split;
  };
  DemoTrack* original = nullptr;
  DemoTrack* copy = nullptr;
  for (auto t = plan.tracks.rbegin(); t != plan.tracks.rend() && !copy; ++t) {
    if (!good_in(*t, "test")) continue;
    for (DemoTrack& o : plan.tracks) {
      if (good_in(o, "training") && o.genres_all == t->genres_all) {
        original = &o;
        copy = &*t;
        break;
      }
    }
  }
  if (!copy) {  // small demos: no genre-matching pair, so the copy's labels will not match what it sounds like
    for (DemoTrack& t : plan.tracks) {
      if (!original && good_in(t, "training")) original = &t;
      if (good_in(t, "test")) copy = &t;
    }
  }
  if (!original || !copy) return;
  copy->channels = original->channels;  // the file's properties, as tracks.csv states them
  copy->bit_rate = original->bit_rate;
  copy->audio_copy_of = original->id;
}

}  // namespace

const char* demo_clip_kind_name(DemoClipKind kind) {
  switch (kind) {
    case DemoClipKind::kGood:
      return "good";
    case DemoClipKind::kZeroBytes:
      return "zero_bytes";
    case DemoClipKind::kTruncated:
      return "truncated";
    case DemoClipKind::kNotMp3:
      return "not_mp3";
    case DemoClipKind::kShort:
      return "short";
    case DemoClipKind::kSilent:
      return "silent";
    case DemoClipKind::kMissing:
      return "missing";
  }
  return "?";
}

std::string demo_audio_relative_path(int64_t track_id) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%03lld/%06lld.mp3", static_cast<long long>(track_id / 1000),
                static_cast<long long>(track_id));
  return buffer;
}

DemoPlan plan_demo_dataset(int n_tracks, uint64_t seed) {
  if (n_tracks < kDemoMinTracks || n_tracks > 999999) {
    throw ConfigError("demo dataset: tracks must be in [" + std::to_string(kDemoMinTracks) + ",999999], got " +
                      std::to_string(n_tracks));
  }
  const GenreTree& tree = demo_genre_tree();
  DemoRng rng(derive_demo_seed(seed, 0x91A4));
  DemoPlan plan;
  std::vector<int> tracks_per_artist;
  std::vector<int> artist_root;
  for (int total = 0, artist_id = 1; total < n_tracks; artist_id += rng.integer(1, 6)) {
    const int count = std::min(n_tracks - total, 1 + static_cast<int>(rng.weighted({0.3, 0.3, 0.2, 0.1, 0.1})));
    DemoArtist artist;
    artist.id = artist_id;
    artist.name = demo_text::artist_name(rng);
    const demo_text::Place place = demo_text::location(rng);
    artist.location = place.name;
    artist.latitude = place.latitude;
    artist.longitude = place.longitude;
    artist.bio = demo_text::artist_bio(rng, artist.name, place.name, plan.artists.empty());
    artist.members = demo_text::members(rng);
    artist.website = demo_text::website(artist.name);
    artist.tags = format_string_list(demo_text::tags(rng, 3));
    artist.active_year_begin = rng.chance(0.4) ? rng.integer(1990, 2008) : 0;
    artist.favorites = rng.integer(0, 30);
    artist.comments = rng.integer(0, 5);
    plan.artists.push_back(artist);
    tracks_per_artist.push_back(count);
    artist_root.push_back(rng.pick(tree.roots()));
    total += count;
  }

  int64_t track_id = 2;  // FMA's first track id
  int64_t clock = kFmaStart;
  for (size_t a = 0; a < plan.artists.size(); ++a) {
    DemoArtist& artist = plan.artists[a];
    clock += rng.integer(3600, 30 * 86400);
    artist.created = clock;
    const int n_albums = tracks_per_artist[a] >= 3 && rng.chance(0.4) ? 2 : 1;
    for (int k = 0; k < tracks_per_artist[a]; ++k) {
      const bool new_album = k == 0 || (n_albums == 2 && k == tracks_per_artist[a] / 2);
      if (new_album) {
        DemoAlbum album;
        album.id = plan.albums.empty() ? 1 : plan.albums.back().id + rng.integer(1, 4);
        album.artist = a;
        album.title = demo_text::album_title(rng);
        album.type = demo_text::album_type(rng);
        album.information = demo_text::album_information(rng);
        album.tags = format_string_list(demo_text::tags(rng, 2));
        album.created = clock + rng.integer(60, 86400);
        album.released = rng.chance(0.6) ? (album.created / 86400 - rng.integer(0, 2000)) * 86400 : 0;  // midnight
        album.listens = rng.integer(50, 20000);
        album.favorites = rng.integer(0, 10);
        album.comments = rng.integer(0, 3);
        plan.albums.push_back(album);
      }
      DemoTrack t;
      t.id = track_id;
      track_id += rng.integer(1, 12);
      t.artist = a;
      t.album = plan.albums.size() - 1;
      t.number = ++plan.albums.back().tracks;
      t.genres = pick_genres(rng, artist_root[a]);
      t.genres_all = tree.with_ancestors(t.genres);
      const std::vector<int> roots = tree.roots_of(t.genres);
      t.genre_top = roots.size() == 1 ? roots[0] : 0;
      static const std::array<const char*, 3> kSubsets = {"small", "medium", "large"};
      static const std::array<int, 5> kBitRates = {128000, 160000, 192000, 256000, 320000};
      t.subset = t.genre_top == 0 ? "large" : kSubsets[rng.weighted({0.35, 0.4, 0.25})];
      t.bit_rate = kBitRates[rng.weighted({0.45, 0.15, 0.25, 0.05, 0.1})];
      t.channels = rng.chance(0.1) ? 1 : 2;
      t.duration_s = static_cast<int>(60 * std::pow(7.0, rng.uniform()));
      t.title = demo_text::track_title(rng, plan.tracks.empty());
      t.information = demo_text::track_information(rng, plan.tracks.size() == 1);
      t.license = demo_text::license(rng);
      t.language_code = rng.chance(0.3) ? "en" : "";
      t.tags = format_string_list(demo_text::tags(rng, 2));
      t.composer = rng.chance(0.05) ? artist.name : "";
      t.created = plan.albums.back().created + k * 60;
      t.listens = rng.integer(20, 50000);
      t.favorites = rng.integer(0, 20);
      t.interest = t.listens + rng.integer(0, 5000);
      t.comments = rng.integer(0, 2);
      t.audio_seed = derive_demo_seed(seed, static_cast<uint64_t>(t.id), 0xA0D10);
      plan.tracks.push_back(t);
    }
  }

  assign_demo_splits(plan, rng);

  // Six tracks get the kinds of broken audio the real FMA has.
  std::vector<size_t> order(plan.tracks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  rng.shuffle(order);
  const DemoClipKind bad[] = {DemoClipKind::kZeroBytes, DemoClipKind::kTruncated, DemoClipKind::kNotMp3,
                              DemoClipKind::kShort,     DemoClipKind::kSilent,    DemoClipKind::kMissing};
  for (size_t k = 0; k < std::size(bad); ++k) plan.tracks[order[k]].kind = bad[k];
  for (DemoTrack& t : plan.tracks) {
    if (t.kind == DemoClipKind::kShort) t.duration_s = 5;
  }
  add_duplicate(plan);
  return plan;
}

}  // namespace musictag::preprocess
