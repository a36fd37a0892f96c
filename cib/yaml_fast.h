// Internal to cib/: the two YAML readers behind YamlToJson
// (cib/yaml_codec.h) and the scalar rules its writer shares with the fast
// one. Not part of the module's interface; tests include it to compare the
// readers.
//
// FastParseYaml reads only the subset JsonToYaml writes (block maps, block
// lists, flow lists of scalars, {} and [], plain and double-quoted scalars,
// ~, comment and blank lines, space indentation) and answers nullopt for
// anything else, without a message: YamlToJson then asks YamlCppToJson,
// which reads all of YAML and words the errors. Whatever FastParseYaml
// accepts, YamlCppToJson reads to the same tree; when a construct's meaning
// to yaml-cpp is in any doubt, FastParseYaml declines it.
//
// Pure functions; safe to call from any thread.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string_view>

#include "common/status.h"

namespace paceline::cib {

// Trees nested deeper than this are kCorrupt (not CIBs; recursion stays
// bounded on adversarial input). The root is at depth 0.
inline constexpr int kMaxYamlDepth = 64;

// A key whose written form is longer than this cannot be an implicit
// ("key: value") key in YAML; the writer uses the explicit "? key" form.
inline constexpr size_t kMaxImplicitKeyLength = 1024;

// The subset reader: the tree, or nullopt when the text is not in the
// subset (including every text that is not valid YAML).
std::optional<boost::json::value> FastParseYaml(std::string_view text);

// The full reader (yaml-cpp): every scalar as a JSON string, plain ~/null
// and empty values as JSON null; errors are kCorrupt "line L, column C: ...".
Result<boost::json::value> YamlCppToJson(std::string_view text);

enum class YamlContext { kBlock, kFlow };

// True if s, written without quotes in ctx, reads back as exactly s under
// YAML's syntax: not empty, no leading or trailing blank, no indicator
// character first (except '-' before a non-blank, so "-INFINITY" stays
// plain), no ": ", " #" or final ':', no document marker first, no flow
// indicator (",[]{}?") in a flow list, only printable characters (see
// IsPrintableCodePoint) in valid UTF-8. It does not consider what a reader
// resolves the plain text to (null, booleans, numbers); the writer checks
// that separately.
bool IsPlainSyntax(std::string_view s, YamlContext ctx);

// Characters that may appear unescaped in what we write and read: printable
// ASCII, and non-ASCII that no YAML reader takes for a line break, a byte
// order mark, a control character or a non-character.
bool IsPrintableCodePoint(char32_t cp);

// Decodes the UTF-8 sequence at s[i] into *cp and returns its length (1 to
// 4), or 0 if it is not valid UTF-8 (overlong, surrogate, truncated, out of
// range).
int DecodeUtf8(std::string_view s, size_t i, char32_t* cp);

}  // namespace paceline::cib
