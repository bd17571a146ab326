// Enum-valued config choices: each enum's names are declared once, in a table next to the enum.
#pragma once

#include <cstddef>

namespace musictag {

// One allowed value of a choice key: the enum value and its name in config files, logs and JSON.
template <typename Enum>
struct ChoiceName {
  Enum value;
  const char* name;
};

// The name of `value` in `names` (a table such as kOptimizerNames); "?" for a value the table lacks.
template <typename Enum, size_t N>
constexpr const char* choice_name(const ChoiceName<Enum> (&names)[N], Enum value) {
  for (const auto& entry : names)
    if (entry.value == value) return entry.name;
  return "?";
}

// The value named `name`; false when no entry has that name.
template <typename Enum, size_t N>
bool choice_value(const ChoiceName<Enum> (&names)[N], const char* name, Enum& value) {
  for (const auto& entry : names) {
    const char* a = entry.name;
    const char* b = name;
    while (*a != '\0' && *a == *b) ++a, ++b;
    if (*a == *b) {
      value = entry.value;
      return true;
    }
  }
  return false;
}

}  // namespace musictag
