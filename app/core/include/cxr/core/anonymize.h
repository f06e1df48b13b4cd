// cxr/core/anonymize.h — pseudonymised results for export outside the hospital (research sets,
// vendor support): the findings leave, who and where do not.
//
// What apply() changes in an InstanceResult: the path becomes "anon-<16 hex>"; Study, Series and SOP
// Instance UIDs become "2.25.<decimal>" UIDs (PS3.5 B.2) derived from the original by a keyed
// SHA-256, so instances of one study still group together and the same key always gives the same
// pseudonyms; patient name, ID, age, sex, study date and description, institution and the header's
// clinical text are cleared; note sentences quoted as evidence are replaced by "[removed]" (notes may
// name people), their effect on the finding is kept, and so are warnings, minus the words they quote.
//
// Without the key the pseudonyms cannot be linked back (keep it secret, or use a fresh random key per
// export). Thread-safety: immutable after construction; apply() may run concurrently.
#pragma once

#include "cxr/core/analyzer.h"

#include <string>

namespace cxr::core {

class Pseudonymizer {
 public:
  explicit Pseudonymizer(std::string key);
  // A key of 32 random bytes from the OS: pseudonyms are not linkable across exports.
  static Pseudonymizer with_random_key();

  std::string uid(const std::string& original) const;    // "" stays ""
  std::string label(const std::string& original) const;  // "anon-" + 16 hex digits
  void apply(InstanceResult& result) const;

 private:
  std::string key_;
};

}  // namespace cxr::core
