// Atomic output files: .partial, fsync, rename; the .partial is removed on every failure path.
#include "eval/report_atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster/errors.h"

namespace musictag::eval {
namespace {

void remove_quietly(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

// Makes the renamed file survive a crash of the node: its bytes reach the disk before the rename is visible.
void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    throw DataError(fmt::format("cannot reopen '{}' to sync it to disk ({}); check the output folder", path,
                                std::strerror(errno)));
  }
  const int status = ::fsync(fd);
  const int saved_errno = errno;
  ::close(fd);
  if (status != 0) {
    throw DataError(fmt::format("cannot sync '{}' to disk ({}); check the file system and free space", path,
                                std::strerror(saved_errno)));
  }
}

}  // namespace

std::string partial_path_of(const std::string& path) { return path + ".partial"; }

void commit_partial_file(const std::string& partial, const std::string& path) {
  try {
    sync_file(partial);
  } catch (...) {
    remove_quietly(partial);
    throw;
  }
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error) {
    const std::string reason = error.message();
    remove_quietly(partial);
    throw DataError(fmt::format("cannot rename '{}' to '{}': {}; check permissions of the output folder", partial,
                                path, reason));
  }
}

void write_text_file_atomically(const std::string& path, const std::string& contents) {
  const std::string partial = partial_path_of(path);
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw DataError(fmt::format("cannot create '{}' ({}); check that the output folder exists and is writable",
                                  partial, std::strerror(errno)));
    }
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    if (!out.flush()) {
      out.close();
      remove_quietly(partial);
      throw DataError(fmt::format("cannot write '{}'; check free space and permissions", partial));
    }
  }
  commit_partial_file(partial, path);
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(fmt::format("cannot open '{}' ({}); check the path", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw DataError(fmt::format("cannot read '{}'; check the file and its disk", path));
  return text.str();
}

}  // namespace musictag::eval
