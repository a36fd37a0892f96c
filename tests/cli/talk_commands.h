// The talk's crm commands (tests/data/talk-commands.txt, verbatim from the
// talk) as the shell would hand them to `crm`, for tests that build the
// talk's configuration. Header-only test support.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "run_util.h"

namespace paceline::testing {

inline const std::string kData =
    std::string(PACELINE_SOURCE_DIR) + "/tests/data/";

// The talk declares no nodes (Corosync brings them); offline we declare the
// two nodes first, the way crmsh shows them.
inline const std::vector<std::string> kNodes = {
    "crm configure node 1: HA-node1", "crm configure node 2: HA-node2"};

// Statements of the talk file: lines joined at a trailing backslash.
inline std::vector<std::string> TalkCommands(bool keep_backslash_words) {
  std::vector<std::string> commands = kNodes;
  std::istringstream in(ReadFile(kData + "talk-commands.txt"));
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string trimmed = line.substr(0, line.find_last_not_of(' ') + 1);
    bool continued = !trimmed.empty() && trimmed.back() == '\\';
    if (continued && !keep_backslash_words) trimmed.pop_back();
    current += (current.empty() ? "" : " ") + trimmed;
    if (!continued) {
      commands.push_back(current);
      current.clear();
    }
  }
  return commands;
}

// Shell-like word splitting with double quotes removed; a lone backslash
// stays a word, as the shell hands it over when a paste goes wrong.
inline std::vector<std::string> Words(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, have = false;
  for (char c : command) {
    if (c == '"') {
      quoted = !quoted;
      have = true;
    } else if (c == ' ' && !quoted) {
      if (have) words.push_back(word);
      word.clear();
      have = false;
    } else {
      word += c;
      have = true;
    }
  }
  if (have) words.push_back(word);
  return words;
}

// Each talk command as argv words after the leading "crm", continuation
// backslashes removed.
inline std::vector<std::vector<std::string>> TalkArgv() {
  std::vector<std::vector<std::string>> out;
  for (const auto& command : TalkCommands(false)) {
    std::vector<std::string> words = Words(command);
    words.erase(words.begin());  // "crm"
    out.push_back(std::move(words));
  }
  return out;
}

}  // namespace paceline::testing
