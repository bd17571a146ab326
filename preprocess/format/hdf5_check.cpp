// H5_CHECK's reporting: HDF5's error stack walked with H5Ewalk2 into a DataError, or an IoError for the environment.
#include "preprocess/format/hdf5_check.h"

#include <fmt/format.h>

#include <cstdlib>

#include "cluster/errors.h"
#include "cluster/io_error.h"
#include "cluster/log.h"

namespace musictag::preprocess {
namespace {

// HDF5 1.10.8's exit handler (H5_term_library) crashes in H5F__close_cb when a file failed to close earlier (seen
// on a full disk), turning exit code 5 into a segfault. Every file here is closed explicitly (RAII), so the handler
// has nothing left to do: keep HDF5 from registering it. Runs before main, so before the library initializes.
[[maybe_unused]] const bool kNoHdf5ExitHandler = H5dont_atexit() >= 0;

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

// The text after `key` up to `end` in `stack` ("filename = 'x.h5'" -> x.h5), or empty.
std::string field_in_stack(const std::string& stack, const std::string& key, char end) {
  const auto start = stack.find(key);
  if (start == std::string::npos) return {};
  const auto from = start + key.size();
  const auto stop = stack.find(end, from);
  return stack.substr(from, stop == std::string::npos ? std::string::npos : stop - from);
}

// One line for a failure caused by the environment; the full stack goes to the debug log.
[[noreturn]] void throw_hdf5_io_error(const char* expr, const std::string& stack, const std::string& context,
                                      const char* file, int line, int error, const std::string& written_path) {
  log::debug("HDF5 call `{}` failed at {}:{} ({}): {}", expr, file, line, context, stack);
  std::string path = field_in_stack(stack, "name = '", '\'');  // the driver's "filename = '...'" or "name = '...'"
  if (path.empty()) path = written_path.empty() ? context : written_path;
  const auto says = [&stack](const char* words) { return stack.find(words) != std::string::npos; };
  const char* operation = says("read failed")           ? "read"
                          : says("write failed")        ? "write"
                          : !written_path.empty()       ? "write"
                          : says("unable to open file") ? "open for reading"
                                                        : "access";
  throw make_io_error(operation, path, error);
}

}  // namespace

int errno_in_hdf5_stack(const std::string& stack) {
  const std::string value = field_in_stack(stack, "errno = ", ',');
  return value.empty() ? 0 : std::atoi(value.c_str());
}

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

void throw_hdf5_error(const char* expr, const std::string& context, const char* file, int line, int error_after_call,
                      const std::string& written_path) {
  std::string stack = hdf5_error_stack_message();
  if (stack.empty()) stack = "no HDF5 error stack";
  int error = errno_in_hdf5_stack(stack);
  if (error == 0) error = error_after_call;  // the driver's own record, when there is one, is the cause
  if (!is_environment_error(error) && !written_path.empty()) error = likely_write_error(written_path);
  if (is_environment_error(error)) throw_hdf5_io_error(expr, stack, context, file, line, error, written_path);
  throw DataError(fmt::format("{}HDF5 call `{}` failed at {}:{}: {}", context.empty() ? "" : context + ": ", expr, file,
                              line, stack));
}

}  // namespace musictag::preprocess
