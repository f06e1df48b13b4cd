#include "cxr/core/anonymize.h"

#include "cxr/model/findings.h"

#include <random>

namespace cxr::core {
namespace {

// The first 128 bits of hex digits as a decimal string (no leading zeros).
std::string decimal_of_128_bits(const std::string& hex) {
  unsigned __int128 v = 0;
  for (std::size_t i = 0; i < 32 && i < hex.size(); ++i) {
    const char c = hex[i];
    v = (v << 4) | static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  if (v == 0) return "0";
  std::string digits;
  while (v > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return digits;
}

}  // namespace

Pseudonymizer::Pseudonymizer(std::string key) : key_(std::move(key)) {}

Pseudonymizer Pseudonymizer::with_random_key() {
  std::random_device device;
  std::string key;
  for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(device() & 0xff));
  return Pseudonymizer(std::move(key));
}

std::string Pseudonymizer::uid(const std::string& original) const {
  if (original.empty()) return {};
  return "2.25." + decimal_of_128_bits(model::sha256_hex(key_ + "\x1f" + "uid" + "\x1f" + original));
}

std::string Pseudonymizer::label(const std::string& original) const {
  return "anon-" + model::sha256_hex(key_ + "\x1f" + "path" + "\x1f" + original).substr(0, 16);
}

void Pseudonymizer::apply(InstanceResult& r) const {
  const std::string original = r.path, pseudonym = label(r.path);
  for (std::size_t at = r.error.find(original); !original.empty() && at != std::string::npos;
       at = r.error.find(original, at + pseudonym.size()))
    r.error.replace(at, original.size(), pseudonym);
  r.path = pseudonym;
  auto& m = r.meta;
  m.study_instance_uid = uid(m.study_instance_uid);
  m.series_instance_uid = uid(m.series_instance_uid);
  m.sop_instance_uid = uid(m.sop_instance_uid);
  for (std::string* identifying : {&m.patient_name, &m.patient_id, &m.patient_age, &m.patient_sex, &m.study_date,
                                   &m.study_description, &m.institution, &m.manufacturer, &m.clinical_text})
    identifying->clear();
  for (auto& f : r.findings)
    for (auto& e : f.evidence) e.sentence = "[removed]";
  // Warnings quote the first words of long note sentences: (\"...\").
  for (auto& w : r.warnings) {
    const std::size_t open = w.find("(\""), close = w.find("\")", open == std::string::npos ? 0 : open + 2);
    if (open != std::string::npos && close != std::string::npos) w.replace(open + 2, close - open - 2, "[removed]");
  }
}

}  // namespace cxr::core
