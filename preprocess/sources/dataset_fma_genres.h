// FMA's genres.csv read into a GenreTree, and the tag name each genre gets in a DatasetIndex.
#pragma once

#include <map>
#include <string>

#include "preprocess/sources/genre_tree.h"

namespace musictag::preprocess {

// Reads genre_id, parent and title (located by header name; #tracks and top_level are ignored and recomputed by
// GenreTree). DataError naming the file, line and column for a missing column or a non-integer id; GenreTree's own
// checks (unknown parent, cycle, duplicate id) follow.
GenreTree read_fma_genres(const std::string& path);

// Tag name per genre id: the genre's title, or "Title (id)" for a title that several genres share, so names stay
// unique and readable.
std::map<int, std::string> fma_genre_tag_names(const GenreTree& tree);

}  // namespace musictag::preprocess
