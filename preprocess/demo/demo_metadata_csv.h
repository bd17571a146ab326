// Writes the demo plan as FMA's fma_metadata/tracks.csv (3 header rows, 52 columns) and genres.csv.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "preprocess/demo/demo_plan.h"
#include "preprocess/sources/genre_tree.h"

namespace musictag::preprocess {

// The 52 cells of one track's row (without track_id), in fma_track_columns() order.
std::vector<std::string> demo_track_cells(const DemoPlan& plan, const DemoTrack& track, const GenreTree& tree);

void write_demo_tracks_csv(std::ostream& out, const DemoPlan& plan, const GenreTree& tree);

// genre_id,#tracks,parent,title,top_level; #tracks counts the tracks whose genres_all holds the genre.
void write_demo_genres_csv(std::ostream& out, const DemoPlan& plan, const GenreTree& tree);

}  // namespace musictag::preprocess
