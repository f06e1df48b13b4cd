// Prompt set parsing/validation (schema "cxr-prompt-set/1", docs/findings.md).
#include "cxr/model/findings.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace cxr::model {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw Exception(ErrorCode::kCorruptData, where + ": " + what + "; fix the prompt-set file (docs/findings.md)");
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string get_string(const json& obj, const char* key, const std::string& where, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(where, std::string("missing \"") + key + "\"");
    return {};
  }
  if (!it->is_string()) fail(where, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

std::vector<std::string> get_strings(const json& obj, const char* key, const std::string& where, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(where, std::string("missing \"") + key + "\" (a non-empty array of strings)");
    return {};
  }
  if (!it->is_array() || (required && it->empty())) {
    fail(where, std::string("\"") + key + "\" must be a non-empty array of strings");
  }
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty()) {
      fail(where, std::string("\"") + key + "\" must contain only non-empty strings");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

FindingDef parse_finding(const json& f, const std::string& where) {
  if (!f.is_object()) fail(where, "must be an object");
  FindingDef d;
  d.id = get_string(f, "id", where, true);
  if (!valid_id(d.id)) fail(where, "\"id\" must match [a-z0-9_]+ (got \"" + d.id + "\")");
  const std::string w = where + " (\"" + d.id + "\")";
  auto name = f.find("name");
  if (name == f.end() || !name->is_object()) fail(w, "missing \"name\" object with \"en\" (and \"ko\")");
  d.name_en = get_string(*name, "en", w + " name", true);
  d.name_ko = get_string(*name, "ko", w + " name", false);
  if (d.name_ko.empty()) d.name_ko = d.name_en;
  auto code = f.find("code");
  if (code == f.end() || !code->is_object()) fail(w, "missing \"code\" object {scheme, value, meaning}");
  d.code.scheme = get_string(*code, "scheme", w + " code", true);
  d.code.value = get_string(*code, "value", w + " code", true);
  d.code.meaning = get_string(*code, "meaning", w + " code", true);
  if (d.code.scheme.empty() || d.code.value.empty() || d.code.meaning.empty()) {
    fail(w, "\"code\" scheme, value and meaning must be non-empty");
  }
  if (d.code.value.size() > 16) fail(w, "\"code\".\"value\" longer than 16 characters (DICOM SH)");
  d.positive = get_strings(f, "positive", w, true);
  d.negative = get_strings(f, "negative", w, true);
  auto lowered = [](std::vector<std::string> terms) {
    for (auto& t : terms) {
      for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return terms;
  };
  d.terms = lowered(get_strings(f, "terms", w, false));
  d.parents = get_strings(f, "parents", w, false);
  d.competing = lowered(get_strings(f, "competing", w, false));
  d.specific_terms = lowered(get_strings(f, "specific_terms", w, false));
  if (auto v = f.find("excluded_by_other_findings"); v != f.end()) {
    if (!v->is_boolean()) fail(w, "\"excluded_by_other_findings\" must be true or false");
    d.excluded_by_other_findings = v->get<bool>();
  }
  if (auto v = f.find("validated"); v != f.end()) {
    if (!v->is_boolean()) fail(w, "\"validated\" must be true or false");
    d.validated = v->get<bool>();
  }
  return d;
}

}  // namespace

int PromptSet::index_of(const std::string& id) const {
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

Result<PromptSet> parse_prompt_set(const std::string& json_text, const std::string& source) {
  return capture([&]() -> PromptSet {
    json doc;
    try {
      doc = json::parse(json_text);
    } catch (const json::parse_error& e) {
      fail(source, std::string("not valid JSON (") + e.what() + ")");
    }
    if (!doc.is_object()) fail(source, "the top level must be an object with \"findings\"");
    const std::string schema = get_string(doc, "schema", source, false);
    if (!schema.empty() && schema != "cxr-prompt-set/1") {
      fail(source, "unsupported schema \"" + schema + "\" (expected \"cxr-prompt-set/1\")");
    }
    PromptSet set;
    set.source = source;
    set.name = get_string(doc, "name", source, false);
    set.version = get_string(doc, "version", source, false);
    auto findings = doc.find("findings");
    if (findings == doc.end() || !findings->is_array() || findings->empty()) {
      fail(source, "\"findings\" must be a non-empty array");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < findings->size(); ++i) {
      FindingDef d = parse_finding((*findings)[i], source + ": finding #" + std::to_string(i + 1));
      if (!seen.insert(d.id).second) fail(source, "finding id \"" + d.id + "\" appears twice");
      set.findings.push_back(std::move(d));
    }
    for (const auto& d : set.findings) {
      for (const auto& p : d.parents) {
        if (!seen.count(p)) fail(source, "finding \"" + d.id + "\": parent \"" + p + "\" is not a finding id");
        if (p == d.id) fail(source, "finding \"" + d.id + "\" lists itself as parent");
      }
    }
    set.sha256 = sha256_hex(json_text);
    return set;
  });
}

Result<PromptSet> load_prompt_set(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::kNotFound, path + ": cannot open prompt set; check the path (--prompts)");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_prompt_set(ss.str(), path);
}

}  // namespace cxr::model
