// assign_demo_splits: greedy track-count balancing, then a repair pass so validation and test hold every genre.
#include "preprocess/demo/demo_split.h"

#include <algorithm>
#include <array>
#include <set>

namespace musictag::preprocess {
namespace {

constexpr std::array<const char*, 3> kSplits = {"training", "validation", "test"};
constexpr std::array<double, 3> kShares = {0.8, 0.1, 0.1};
constexpr int kMinPositives = 2;
constexpr double kMinTrainingShare = 0.7;

}  // namespace

void assign_demo_splits(DemoPlan& plan, DemoRng& rng) {
  const size_t n_artists = plan.artists.size();
  std::vector<int> tracks_of(n_artists, 0);
  std::vector<std::set<int>> genres_of(n_artists);
  for (const DemoTrack& t : plan.tracks) {
    ++tracks_of[t.artist];
    genres_of[t.artist].insert(t.genres_all.begin(), t.genres_all.end());
  }

  // 1. Track counts towards 80/10/10.
  std::vector<size_t> order(n_artists), split_of(n_artists, 0);
  for (size_t i = 0; i < n_artists; ++i) order[i] = i;
  rng.shuffle(order);
  std::array<double, 3> have = {0, 0, 0};
  double total = 0;
  for (size_t a : order) {
    total += tracks_of[a];
    size_t best = 0;
    for (size_t s = 1; s < 3; ++s) {
      if (kShares[s] * total - have[s] > kShares[best] * total - have[best]) best = s;
    }
    have[best] += tracks_of[a];
    split_of[a] = best;
  }

  // 2. Every genre at least kMinPositives times in validation and in test, where training can spare an artist.
  std::set<int> all_genres;
  for (const auto& genres : genres_of) all_genres.insert(genres.begin(), genres.end());
  const auto positives = [&](size_t split, int genre) {
    int count = 0;
    for (const DemoTrack& t : plan.tracks) {
      if (split_of[t.artist] == split && std::count(t.genres_all.begin(), t.genres_all.end(), genre)) ++count;
    }
    return count;
  };
  for (size_t split : {size_t{2}, size_t{1}}) {
    for (int genre : all_genres) {
      while (positives(split, genre) < kMinPositives) {
        size_t best = n_artists;  // the smallest training artist with this genre (lowest index on ties)
        for (size_t a = 0; a < n_artists; ++a) {
          if (split_of[a] == 0 && genres_of[a].count(genre) && (best == n_artists || tracks_of[a] < tracks_of[best])) {
            best = a;
          }
        }
        if (best == n_artists || have[0] - tracks_of[best] < kMinTrainingShare * total) break;
        have[0] -= tracks_of[best];
        have[split] += tracks_of[best];
        split_of[best] = split;
      }
    }
  }

  for (size_t a = 0; a < n_artists; ++a) plan.artists[a].split = kSplits[split_of[a]];
  for (DemoTrack& t : plan.tracks) t.split = plan.artists[t.artist].split;
}

}  // namespace musictag::preprocess
