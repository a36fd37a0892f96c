#include "tests/differential/op_digest.h"

#include <openssl/evp.h>

#include <cstdio>

namespace paceline::differential {

std::string XmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string OpDigest(const std::map<std::string, std::string>& params,
                     std::optional<long long> recurring_timeout_ms) {
  std::map<std::string, std::string> all = params;  // std::map: bytewise order
  if (recurring_timeout_ms) {
    all["CRM_meta_timeout"] = std::to_string(*recurring_timeout_ms);
  }
  std::string text = " <parameters";
  for (const auto& [name, value] : all) {
    text += " " + name + "=\"" + XmlEscape(value) + "\"";
  }
  text += "/>\n";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_md5(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

}  // namespace paceline::differential
