// File operations shared by every stage: atomic whole-file writes (.partial + fsync + rename), reads, folders.
#pragma once

#include <string>
#include <vector>

namespace musictag {

// Plain POSIX calls throughout, not std::filesystem: the torch wheel's libtorch.so exports its own copy of
// std::filesystem (from a statically linked libstdc++fs) that the dynamic linker binds every libtorch user to,
// and some of its functions crash (remove_all jumps to a null pointer with torch 2.11.0). std::ofstream offers no
// fsync either, and an atomic replace needs one before the rename.

// Errors: every function here throws IoError (exit code 5) when the system refuses for a reason of the environment
// (no space left, quota, read-only, permission, device error; see cluster/io_error.h) and DataError otherwise (a
// missing path, a file in the way), both naming the file and the system's message.

// The suffix of a file being written; readers ignore such files, and a crash leaves at most one behind.
inline constexpr const char* kPartialSuffix = ".partial";

// "<path>.partial": where a file is written before it is renamed into place.
std::string partial_path_of(const std::string& path);

// Makes a finished `partial` file (closed by its writer, e.g. an HDF5 file) the file `path`: fsyncs it, renames it
// onto `path` and fsyncs the folder, so `path` appears only complete. On failure removes `partial` and throws
// DataError naming both files.
void commit_partial_file(const std::string& partial, const std::string& path);

// Writes `bytes` to `<path>.partial`, fsyncs it, renames it to `path` (atomic on POSIX file systems) and
// fsyncs the folder, so after a crash `path` holds either its old content or all of `bytes`. The folder must
// exist. Throws DataError naming the path and the system's message.
void write_file_atomically(const std::string& path, const std::string& bytes);

// The whole content of `path`. Throws DataError naming it when it cannot be opened or read.
std::string read_whole_file(const std::string& path);

// fsync of a folder, so that renames and deletions in it are durable. Throws DataError.
void sync_folder(const std::string& folder);

// Creates `folder` and its missing parents (mkdir -p). Throws DataError.
void make_folders(const std::string& folder);
// Names (not paths) of the regular files directly in `folder`, unsorted; empty when it does not exist.
std::vector<std::string> regular_files_in(const std::string& folder);
bool is_regular_file(const std::string& path);
// Removes a file; a missing file is not an error. Throws DataError otherwise.
void remove_file(const std::string& path);
// Makes `link_path` another name of `target` (hard link); false when the file system cannot (then copy).
bool hard_link(const std::string& target, const std::string& link_path);
// Renames atomically (replacing `to`). Throws DataError.
void rename_file(const std::string& from, const std::string& to);
// "a/b/c.pt" -> "a/b"; "c.pt" -> ".".
std::string parent_folder(const std::string& path);
// folder + "/" + name.
std::string join_path(const std::string& folder, const std::string& name);

}  // namespace musictag
