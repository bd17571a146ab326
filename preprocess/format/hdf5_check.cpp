// H5_CHECK's reporting: HDF5's error stack walked with H5Ewalk2 into the message of a DataError.
#include "preprocess/format/hdf5_check.h"

#include <fmt/format.h>

#include "cluster/errors.h"

namespace musictag::preprocess {
namespace {

herr_t append_error(unsigned depth, const H5E_error2_t* error, void* client_data) {
  auto& text = *static_cast<std::string*>(client_data);
  if (depth > 0) text += "; ";
  text += fmt::format("{}(): {}", error->func_name != nullptr ? error->func_name : "?",
                      error->desc != nullptr ? error->desc : "");
  char minor[256] = {0};
  if (H5Eget_msg(error->min_num, nullptr, minor, sizeof(minor)) > 0) text += fmt::format(" ({})", minor);
  for (char& c : text) c = (c == '\n' || c == '\r') ? ' ' : c;  // some descriptions embed ctime()'s newline
  return 0;
}

}  // namespace

void quiet_hdf5_errors() {
  thread_local bool quiet = false;
  if (quiet) return;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  quiet = true;
}

std::string hdf5_error_stack_message() {
  std::string text;
  // Outermost call first (the API function the program called), then the internal causes.
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, append_error, &text);
  H5Eclear2(H5E_DEFAULT);
  return text;
}

std::string hdf5_error_cause() {
  std::string cause;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
        *static_cast<std::string*>(data) = error->desc != nullptr ? error->desc : "";
        return 0;
      },
      &cause);
  H5Eclear2(H5E_DEFAULT);
  return cause.empty() ? "no HDF5 error stack" : cause;
}

void throw_hdf5_error(const char* expr, const std::string& context, const char* file, int line) {
  std::string stack = hdf5_error_stack_message();
  if (stack.empty()) stack = "no HDF5 error stack";
  throw DataError(fmt::format("{}HDF5 call `{}` failed at {}:{}: {}", context.empty() ? "" : context + ": ", expr, file,
                              line, stack));
}

}  // namespace musictag::preprocess
