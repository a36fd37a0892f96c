// Splits crm shell text (a `configure load` file, a script, a pasted
// block) into statements of tokens, and cleans argv words.
//
// Text rules (as crmsh reads its own `configure show` output): tokens are
// separated by blanks; "double" and 'single' quotes group (quotes removed,
// \" and \\ escapes inside double quotes); a backslash at the end of a line
// (trailing blanks allowed) continues the statement; `#` starts a comment
// at the beginning of a token; blank lines separate nothing. An unbalanced
// quote is a kSyntax error naming the line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace paceline::cli::crm {

using Tokens = std::vector<std::string>;

struct Statement {
  int line = 0;  // 1-based line where the statement starts
  Tokens tokens;
};

Result<std::vector<Statement>> SplitStatements(std::string_view text);

// argv words as the shell hands them over. When an admin pastes the talk's
// commands, the line-continuation backslashes can arrive as words of their
// own ("\\", "\\ " or just blanks): those words are dropped.
Tokens CleanArgv(const std::vector<std::string>& words);

}  // namespace paceline::cli::crm
