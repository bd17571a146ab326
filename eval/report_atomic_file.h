// Atomic output files of the eval harness: write `<path>.partial`, sync it to disk, then rename it onto `path`.
#pragma once

#include <string>

namespace musictag::eval {

// "<path>.partial": where a file is written before it is renamed into place.
std::string partial_path_of(const std::string& path);

// Syncs `partial` to disk and renames it to `path`, so `path` appears only complete (readers never see a half
// file, and an interrupted run leaves at most a .partial). On failure removes `partial` and throws DataError
// naming both files and what to check.
void commit_partial_file(const std::string& partial, const std::string& path);

// Writes `contents` to `path` atomically (via commit_partial_file). DataError naming the file when it cannot.
void write_text_file_atomically(const std::string& path, const std::string& contents);

// The whole file as a string; DataError naming the file when it cannot be read.
std::string read_text_file(const std::string& path);

}  // namespace musictag::eval
