// FMA's Python list literals in CSV cells: "[21, 38]", "['rock', 'live']", "[]".
#pragma once

#include <string>
#include <vector>

namespace musictag::preprocess {

// "[21, 38]" as Python's str(list) writes it; "[]" when empty.
std::string format_int_list(const std::vector<int>& values);

// "['rock', 'live']"; a value holding a single quote is written in double quotes, as Python's repr does.
std::string format_string_list(const std::vector<std::string>& values);

// Parses "[21, 38]" / "[]" (spaces optional); throws DataError on anything else.
std::vector<int> parse_int_list(const std::string& text);

}  // namespace musictag::preprocess
