// A fresh temporary folder per test for the checkpoint tests, removed afterwards (POSIX, see below).
#pragma once

#include <ftw.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <string>

namespace musictag::train {

// mkdtemp + nftw rather than std::filesystem: binaries linking libtorch bind to the torch wheel's own copy of
// std::filesystem, whose remove_all crashes (cluster/files.h).
class TempFolder {
 public:
  TempFolder() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/musictag_checkpoint_XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
    path_ = pattern;
  }
  ~TempFolder() {
    ::nftw(
        path_.c_str(), [](const char* name, const struct stat*, int, struct FTW*) { return std::remove(name); }, 16,
        FTW_DEPTH | FTW_PHYS);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::string& path() const { return path_; }
  std::string at(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace musictag::train
