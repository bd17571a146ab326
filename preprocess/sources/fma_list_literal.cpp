// Formatting and parsing of FMA's list literal cells.
#include "preprocess/sources/fma_list_literal.h"

#include <cctype>
#include <cstdlib>

#include "cluster/errors.h"

namespace musictag::preprocess {

std::string format_int_list(const std::vector<int>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(values[i]);
  }
  return text + "]";
}

std::string format_string_list(const std::vector<std::string>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    const char quote = values[i].find('\'') != std::string::npos ? '"' : '\'';
    text += quote + values[i] + quote;
  }
  return text + "]";
}

std::vector<int> parse_int_list(const std::string& text) {
  const auto fail = [&text]() -> std::vector<int> {
    throw DataError("expected a list of integers like [21, 38], got '" + text + "'");
  };
  size_t pos = 0;
  const auto skip_spaces = [&]() {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  };
  skip_spaces();
  if (pos >= text.size() || text[pos] != '[') return fail();
  ++pos;
  std::vector<int> values;
  skip_spaces();
  if (pos < text.size() && text[pos] == ']') {
    ++pos;
  } else {
    while (true) {
      skip_spaces();
      const char* begin = text.c_str() + pos;
      char* end = nullptr;
      const long value = std::strtol(begin, &end, 10);
      if (end == begin) return fail();
      values.push_back(static_cast<int>(value));
      pos += static_cast<size_t>(end - begin);
      skip_spaces();
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == ']') {
        ++pos;
        break;
      }
      return fail();
    }
  }
  skip_spaces();
  if (pos != text.size()) return fail();
  return values;
}

}  // namespace musictag::preprocess
