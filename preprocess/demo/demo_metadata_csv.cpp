// Formatting of the demo plan into FMA's CSV cells (numbers, dates, list literals, free text).
#include "preprocess/demo/demo_metadata_csv.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "cluster/csv_writer.h"
#include "cluster/errors.h"
#include "preprocess/demo/demo_metadata_text.h"
#include "preprocess/sources/fma_columns.h"
#include "preprocess/sources/fma_list_literal.h"

namespace musictag::preprocess {
namespace {

std::string coordinate(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.7f", value);
  return buffer;
}

std::string date_or_empty(int64_t unix_seconds) {
  return unix_seconds == 0 ? std::string() : demo_text::format_datetime(unix_seconds);
}

std::string year_start(int year) { return year == 0 ? std::string() : std::to_string(year) + "-01-01 00:00:00"; }

}  // namespace

std::vector<std::string> demo_track_cells(const DemoPlan& plan, const DemoTrack& t, const GenreTree& tree) {
  const DemoAlbum& album = plan.albums.at(t.album);
  const DemoArtist& artist = plan.artists.at(t.artist);
  using std::to_string;
  std::map<std::string, std::string> cell = {
      {"album.comments", to_string(album.comments)},
      {"album.date_created", date_or_empty(album.created)},
      {"album.date_released", date_or_empty(album.released)},
      {"album.engineer", ""},
      {"album.favorites", to_string(album.favorites)},
      {"album.id", to_string(album.id)},
      {"album.information", album.information},
      {"album.listens", to_string(album.listens)},
      {"album.producer", ""},
      {"album.tags", album.tags},
      {"album.title", album.title},
      {"album.tracks", to_string(album.tracks)},
      {"album.type", album.type},
      {"artist.active_year_begin", year_start(artist.active_year_begin)},
      {"artist.active_year_end", ""},
      {"artist.associated_labels", ""},
      {"artist.bio", artist.bio},
      {"artist.comments", to_string(artist.comments)},
      {"artist.date_created", date_or_empty(artist.created)},
      {"artist.favorites", to_string(artist.favorites)},
      {"artist.id", to_string(artist.id)},
      {"artist.latitude", coordinate(artist.latitude)},
      {"artist.location", artist.location},
      {"artist.longitude", coordinate(artist.longitude)},
      {"artist.members", artist.members},
      {"artist.name", artist.name},
      {"artist.related_projects", ""},
      {"artist.tags", artist.tags},
      {"artist.website", artist.website},
      {"artist.wikipedia_page", ""},
      {"set.split", t.split},
      {"set.subset", t.subset},
      {"track.bit_rate", to_string(t.bit_rate)},
      {"track.comments", to_string(t.comments)},
      {"track.composer", t.composer},
      {"track.date_created", date_or_empty(t.created)},
      {"track.date_recorded", ""},
      {"track.duration", to_string(t.duration_s)},
      {"track.favorites", to_string(t.favorites)},
      {"track.genre_top", t.genre_top == 0 ? std::string() : tree.genre(t.genre_top).title},
      {"track.genres", format_int_list(t.genres)},
      {"track.genres_all", format_int_list(t.genres_all)},
      {"track.information", t.information},
      {"track.interest", to_string(t.interest)},
      {"track.language_code", t.language_code},
      {"track.license", t.license},
      {"track.listens", to_string(t.listens)},
      {"track.lyricist", ""},
      {"track.number", to_string(t.number)},
      {"track.publisher", ""},
      {"track.tags", t.tags},
      {"track.title", t.title},
  };
  std::vector<std::string> cells;
  for (const FmaColumn& column : fma_track_columns()) {
    const auto it = cell.find(column.group + "." + column.name);
    if (it == cell.end()) throw DataError("demo tracks.csv: no value for column " + column.group + "." + column.name);
    cells.push_back(it->second);
  }
  if (cells.size() != cell.size()) throw DataError("demo tracks.csv: cells and FMA's column list disagree");
  return cells;
}

void write_demo_tracks_csv(std::ostream& out, const DemoPlan& plan, const GenreTree& tree) {
  CsvWriter writer(out);
  std::vector<std::string> groups = {""}, names = {""}, index = {"track_id"};
  for (const FmaColumn& column : fma_track_columns()) {
    groups.push_back(column.group);
    names.push_back(column.name);
    index.push_back("");
  }
  writer.write_row(groups);
  writer.write_row(names);
  writer.write_row(index);
  for (const DemoTrack& t : plan.tracks) {
    std::vector<std::string> row = {std::to_string(t.id)};
    for (std::string& cell : demo_track_cells(plan, t, tree)) row.push_back(std::move(cell));
    writer.write_row(row);
  }
}

void write_demo_genres_csv(std::ostream& out, const DemoPlan& plan, const GenreTree& tree) {
  std::map<int, int> counts;
  for (const DemoTrack& t : plan.tracks) {
    for (int id : t.genres_all) ++counts[id];
  }
  CsvWriter writer(out);
  writer.write_row({"genre_id", "#tracks", "parent", "title", "top_level"});
  std::vector<Genre> sorted = tree.genres();
  std::sort(sorted.begin(), sorted.end(), [](const Genre& a, const Genre& b) { return a.id < b.id; });
  for (const Genre& g : sorted) {
    writer.write_row({std::to_string(g.id), std::to_string(counts[g.id]), std::to_string(g.parent), g.title,
                      std::to_string(tree.top_level(g.id))});
  }
}

}  // namespace musictag::preprocess
