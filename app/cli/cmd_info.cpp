// cxr info [--json] PATH... — one record per instance (files, folders, DICOMDIR media).
// A failed input gives {path, error}. Exit: 0 all read, 1 some failed, 2 usage error.
#include "command.h"

#include "cxr/dicom/dicom.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace cxr::cli {
namespace {

nlohmann::json to_json(const std::string& path, const dicom::Metadata& m) {
  nlohmann::json record = {
      {"path", path},
      {"is_dicom", m.is_dicom},
      {"rows", m.rows},
      {"columns", m.columns},
  };
  if (!m.is_dicom) return record;
  record.update({
      {"sop_instance_uid", m.sop_instance_uid},
      {"sop_class_uid", m.sop_class_uid},
      {"study_instance_uid", m.study_instance_uid},
      {"series_instance_uid", m.series_instance_uid},
      {"modality", m.modality},
      {"frames", m.frames},
      {"photometric", m.photometric},
      {"bits_allocated", m.bits_allocated},
      {"bits_stored", m.bits_stored},
      {"samples_per_pixel", m.samples_per_pixel},
      {"transfer_syntax_uid", m.transfer_syntax_uid},
      {"transfer_syntax", m.transfer_syntax_name},
      {"view_position", m.view_position},
      {"body_part", m.body_part},
      {"patient_name", m.patient_name},
      {"specific_character_set", m.specific_character_set},
  });
  if (m.pixel_spacing_mm) record["pixel_spacing_mm"] = {m.pixel_spacing_mm->first, m.pixel_spacing_mm->second};
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& w : m.windows) windows.push_back({{"center", w.center}, {"width", w.width}, {"explanation", w.explanation}});
  record["windows"] = windows;
  return record;
}

void print_text(const nlohmann::json& record) {
  std::cout << record["path"].get<std::string>() << "\n";
  for (const auto& [key, value] : record.items()) {
    if (key == "path") continue;
    std::cout << "  " << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
  }
}

std::function<int()> setup_info(CLI::App& sub) {
  auto paths = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  sub.add_flag("--json", *json, "print a JSON array, one object per instance");
  sub.add_option("paths", *paths, "files, folders or DICOMDIR")->required();
  return [paths, json] {
    nlohmann::json records = nlohmann::json::array();
    bool any_failed = false;
    auto report_failure = [&](const std::string& path, const std::string& message) {
      any_failed = true;
      records.push_back({{"path", path}, {"error", message}});
      if (!*json) std::cerr << "error: " << message << "\n";
    };
    for (const auto& given : *paths) {  // each named path is expanded on its own: one bad one is one failure
      std::vector<std::string> notes;
      auto items = dicom::expand_inputs({given}, &notes);
      for (const auto& note : notes) std::cerr << "note: " << note << "\n";
      if (!items) {
        report_failure(given, items.error().message);
        continue;
      }
      for (const auto& item : *items) {
        auto meta = dicom::read_metadata(item.path);
        if (meta) records.push_back(to_json(item.path, *meta));
        else report_failure(item.path, meta.error().message);
      }
    }
    if (*json) {
      std::cout << records.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      for (const auto& record : records)
        if (!record.contains("error")) print_text(record);
    }
    return int(any_failed ? kExitSomeFailed : kExitOk);
  };
}

}  // namespace

CXR_CLI_COMMAND("info", "Print the metadata of DICOM (or PNG/JPEG) files, folders or DICOMDIR media", setup_info);

}  // namespace cxr::cli
