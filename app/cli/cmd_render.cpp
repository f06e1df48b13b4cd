// cxr render PATH -o OUT.png [--window C,W] [--frame N] — the 8-bit image a radiologist sees.
#include "command.h"

#include "cxr/dicom/dicom.h"

#include <iostream>

namespace cxr::cli {
namespace {

struct RenderOptions {
  std::string path, output;
  std::vector<double> window;
  int frame = 0;
};

std::function<int()> setup_render(CLI::App& sub) {
  auto options = std::make_shared<RenderOptions>();
  sub.add_option("path", options->path, "DICOM, PNG or JPEG file")->required();
  sub.add_option("-o,--output", options->output, "output PNG")->required();
  sub.add_option("--window", options->window, "window centre,width in modality units (default: the file's)")
      ->delimiter(',')
      ->expected(2);
  sub.add_option("--frame", options->frame, "0-based frame of a multi-frame image")->check(CLI::NonNegativeNumber);
  return [options] {
    dicom::LoadOptions load;
    load.frame = options->frame;
    if (!options->window.empty()) {
      if (options->window[1] < 1) {
        std::cerr << "cxr render: window width must be >= 1\n";
        return int(kExitUsage);
      }
      load.window = dicom::Window{options->window[0], options->window[1], "command line"};
    }
    auto loaded = dicom::load_image(options->path, load);
    if (!loaded) {
      std::cerr << "cxr render: " << loaded.error().message << "\n";
      return int(kExitSomeFailed);
    }
    if (Status written = dicom::write_png(options->output, loaded->image); !written) {
      std::cerr << "cxr render: " << written.error().message << "\n";
      return int(kExitSomeFailed);
    }
    return int(kExitOk);
  };
}

}  // namespace

CXR_CLI_COMMAND("render", "Render one frame of a DICOM/PNG/JPEG to an 8-bit gray PNG", setup_render);

}  // namespace cxr::cli
