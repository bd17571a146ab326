// Artist-disjoint training/validation/test splits for the demo plan (~80/10/10, every genre in validation and test).
#pragma once

#include "preprocess/demo/demo_plan.h"
#include "preprocess/demo/demo_random.h"

namespace musictag::preprocess {

// Sets DemoArtist::split and DemoTrack::split. Artists go, in random order, to the split whose track count lags
// its share (80/10/10) the most; then, while a genre of genres_all has fewer than 2 tracks in validation or test,
// the smallest training artist with that genre moves there, as long as training keeps >= 70% of the tracks.
// (FMA's own splits are artist-disjoint and stratified by genre; the demo's test split is only ~30 tracks, so
// without the second step some tags would have no positive to score.)
void assign_demo_splits(DemoPlan& plan, DemoRng& rng);

}  // namespace musictag::preprocess
