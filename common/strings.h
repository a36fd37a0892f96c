// Small string helpers shared by every module. Pure functions, no locale.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paceline {

// ASCII case-insensitive equality (Pacemaker compares role names, booleans
// and score keywords this way).
bool IEquals(std::string_view a, std::string_view b);
std::string ToLower(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// Parses a whole string as a signed 64-bit decimal integer with an optional
// leading '+' or '-'. Returns false on anything else (including overflow).
bool ParseInt64(std::string_view s, long long* out);

// Pacemaker's boolean spellings: true/false, yes/no, on/off, y/n, 1/0.
bool ParseBool(std::string_view s, bool* out);

// Quotes s for an error message: 'value'.
std::string Quote(std::string_view s);

}  // namespace paceline
