#include "cli/crm/lexer.h"

#include "common/strings.h"

namespace paceline::cli::crm {

namespace {

// Carriage returns count as blanks so that CRLF text (pasted from Windows
// or a web page) splits like LF text; inside quotes they are kept.
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// One pass over the text, character by character. Quoted strings may span
// lines so that values with newlines survive a show/load round trip; an
// unbalanced quote is then reported at the line where it opened.
class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  Result<std::vector<Statement>> Run() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        EndLine();
      } else if (IsBlank(c)) {
        EndToken();
        ++pos_;
      } else if (c == '\\' && OnlyBlanksUntilNewline(pos_ + 1)) {
        // Line continuation; the talk's text has "\  " at line ends.
        EndToken();
        continued_ = true;
        SkipToNewline();
      } else if (c == '#' && !in_token_ && StartsComment()) {
        line_comment_ = true;
        SkipToNewline();
      } else if (c == '"' || c == '\'') {
        PL_RETURN_IF_ERROR(ReadQuoted(c));
      } else {
        StartToken();
        token_ += c;
        ++pos_;
      }
    }
    EndToken();
    EndStatement();
    return std::move(statements_);
  }

 private:
  bool OnlyBlanksUntilNewline(size_t from) const {
    for (size_t i = from; i < text_.size() && text_[i] != '\n'; ++i) {
      if (!IsBlank(text_[i])) return false;
    }
    return true;
  }

  // A '#' at the start of a token begins a comment, except for Pacemaker's
  // built-in node attributes (#uname, #id, ...) in the middle of a line:
  // crmsh writes `rule inf: #uname eq node1` and must read it back.
  bool StartsComment() const {
    if (current_.tokens.empty() || line_tokens_ == 0) return true;
    return pos_ + 1 >= text_.size() || !IsAsciiLetter(text_[pos_ + 1]);
  }

  void SkipToNewline() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  }

  void StartToken() {
    if (in_token_) return;
    in_token_ = true;
    ++line_tokens_;
    if (current_.tokens.empty()) current_.line = line_;
  }

  void EndToken() {
    if (!in_token_) return;
    current_.tokens.push_back(std::move(token_));
    token_.clear();
    in_token_ = false;
  }

  void EndStatement() {
    if (!current_.tokens.empty()) statements_.push_back(std::move(current_));
    current_ = Statement{};
  }

  // A blank line ends a continued statement, as in the shell; a line holding
  // only a comment does not, so a commented-out option inside a continued
  // statement does not cut it in two.
  void EndLine() {
    EndToken();
    bool comment_only = line_comment_ && line_tokens_ == 0;
    bool keep = continued_ || (carried_ && comment_only);
    if (!keep) EndStatement();
    carried_ = keep;
    continued_ = false;
    line_comment_ = false;
    line_tokens_ = 0;
    ++line_;
    ++pos_;
  }

  // Reads a quoted part of a token; pos_ is at the opening quote. Inside
  // double quotes only \" and \\ are escapes, any other backslash is kept,
  // so Windows paths and regexes need no doubling.
  Status ReadQuoted(char quote) {
    StartToken();  // "" is an empty token, not nothing
    const int open_line = line_;
    ++pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == quote) {
        ++pos_;
        return Status::Ok();
      }
      if (c == '\n') ++line_;
      if (quote == '"' && c == '\\' && pos_ + 1 < text_.size() &&
          (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '\\')) {
        token_ += text_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      token_ += c;
      ++pos_;
    }
    const char* name = quote == '"' ? "double" : "single";
    return Status::Syntax("line " + std::to_string(open_line) +
                          ": unbalanced " + name + " quote (" + quote +
                          " opened here is never closed)");
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  bool continued_ = false;  // this line ends with a continuation
  bool carried_ = false;    // the previous line did
  bool line_comment_ = false;
  int line_tokens_ = 0;  // tokens started on this line
  bool in_token_ = false;
  std::string token_;
  Statement current_;
  std::vector<Statement> statements_;
};

}  // namespace

Result<std::vector<Statement>> SplitStatements(std::string_view text) {
  return Splitter(text).Run();
}

Tokens CleanArgv(const std::vector<std::string>& words) {
  Tokens out;
  for (const auto& word : words) {
    std::string_view rest = word;
    if (!rest.empty() && rest.front() == '\\') rest.remove_prefix(1);
    // Trim() also treats newlines as blanks: "\\\n" is a stray too.
    if (Trim(rest).empty()) continue;
    out.push_back(word);
  }
  return out;
}

}  // namespace paceline::cli::crm
