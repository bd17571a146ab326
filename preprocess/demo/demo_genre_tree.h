// The demo dataset's two-level genre tree: 8 real FMA roots (real ids) and 13 children (plausible FMA ids).
#pragma once

#include "preprocess/sources/genre_tree.h"

namespace musictag::preprocess::demo_genre {

// Roots, with the ids FMA's genres.csv uses.
constexpr int kJazz = 4;
constexpr int kClassical = 5;
constexpr int kPop = 10;
constexpr int kRock = 12;
constexpr int kElectronic = 15;
constexpr int kFolk = 17;
constexpr int kHipHop = 21;
constexpr int kExperimental = 38;

// Children: titles and parents as in FMA, ids as FMA has them where known (Techno 181, Avant-Garde 1), plausible
// otherwise. The demo never needs them to match the real file.
constexpr int kAvantGarde = 1;
constexpr int kPunk = 25;
constexpr int kMetal = 31;
constexpr int kNoise = 32;
constexpr int kAmbientElectronic = 42;
constexpr int kSingerSongwriter = 49;
constexpr int kIndieRock = 66;
constexpr int kFreeJazz = 74;
constexpr int kTechno = 181;
constexpr int kHouse = 182;
constexpr int kSynthPop = 362;
constexpr int kChamberMusic = 442;
constexpr int kRap = 539;

}  // namespace musictag::preprocess::demo_genre

namespace musictag::preprocess {

// The 21 demo genres (roots first, then children grouped by root).
const GenreTree& demo_genre_tree();

}  // namespace musictag::preprocess
