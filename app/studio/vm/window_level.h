// vm/window_level.h — the viewer's display state: VOI window (centre/width), presets, inversion,
// zoom/pan/rotation/flip. QtCore only; the ImageView widget renders from it.
//
// Units: centre and width are in modality units (after the Modality LUT: HU for CT, raw detector
// values for most CR/DX). Zoom is screen pixels per image pixel; pan is in screen pixels relative to
// the centred image. Thread-safety: owned by the UI thread, not thread-safe.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace cxr::studio {

// One VOI window a user can pick (PS3.3 C.11.2.1.2 semantics: linear, centre/width).
struct WindowPreset {
  QString name;     // shown in menus, already translated
  double center = 0, width = 1;
};

// What the presets are computed from: the image's value distribution and the file's own windows.
struct ImageValueStats {
  double min = 0, max = 0;    // full modality range of the frame
  double p_low = 0, p_high = 0;  // 0.5th and 99.5th percentiles (robust range)
  bool monochrome1 = false;   // displayed inverted: high values are dark
  bool hounsfield = false;    // CT-like modality values (rescale to HU): use the CT presets
};

// Robust statistics of modality values (values: (H*W) floats). Subsamples large images
// (at most ~1M values are sorted), so it costs a few ms on a 3000x3000 radiograph.
ImageValueStats compute_value_stats(const std::vector<float>& values, bool monochrome1, bool hounsfield);

enum class PresetId { kDefault, kLung, kMediastinum, kBone, kFullRange };

// Preset window for an image. CT (hounsfield): lung W1500/L-600, mediastinum W350/L40,
// bone W1800/L400. Projection radiographs (values are not HU): positions relative to the robust
// range R = [p_low, p_high] — lung centre at 35% of R, width 60%; mediastinum 65%/50%; bone
// 80%/40% — mirrored for MONOCHROME1 (where high values are the dark, air-filled lung).
// kDefault = the file's first VOI window, else the robust range; kFullRange = [min, max].
WindowPreset preset_window(PresetId id, const ImageValueStats& stats, const std::vector<WindowPreset>& file_windows);

class WindowLevelState : public QObject {
  Q_OBJECT
 public:
  explicit WindowLevelState(QObject* parent = nullptr);

  // A new image: resets window to kDefault, geometry to fit, keeps nothing from the previous one.
  void setImage(const ImageValueStats& stats, std::vector<WindowPreset> file_windows, int width, int height);

  double center() const { return center_; }
  double width() const { return width_; }
  void setWindow(double center, double width);  // width clamped to >= 1
  void applyPreset(PresetId id);
  void applyFileWindow(int index);              // index into fileWindows(); out of range: ignored
  const std::vector<WindowPreset>& fileWindows() const { return file_windows_; }
  const ImageValueStats& stats() const { return stats_; }

  // Mouse drag of (dx, dy) screen pixels: right widens the window, down raises the centre
  // (the convention of most PACS viewers). One pixel = 1/500 of the robust range.
  void dragWindow(int dx, int dy);

  bool inverted() const { return inverted_; }  // user inversion, on top of MONOCHROME1 handling
  void setInverted(bool on);
  void toggleInverted() { setInverted(!inverted_); }

  // Geometry. rotation: 0, 90, 180, 270 degrees clockwise, applied after the flips.
  int rotation() const { return rotation_; }
  void rotateClockwise();
  void rotateCounterClockwise();
  bool flippedHorizontally() const { return flip_h_; }
  bool flippedVertically() const { return flip_v_; }
  void flipHorizontally();
  void flipVertically();

  double zoom() const { return zoom_; }
  bool fitToView() const { return fit_; }
  // Fit: zoom follows the view size (set by the widget through setFitZoom).
  void setFit();
  void setOneToOne();                                    // zoom 1, pan 0
  void zoomBy(double factor);                            // clamped to [0.05, 32]; leaves fit mode
  void setFitZoom(double zoom);                          // widget reports the fitting zoom
  double panX() const { return pan_x_; }
  double panY() const { return pan_y_; }
  void panBy(double dx, double dy);
  void resetGeometry();                                  // fit, no rotation/flip, no pan

  int imageWidth() const { return image_width_; }
  int imageHeight() const { return image_height_; }

  // "W 1500  L -600" for the corner overlay (rounded to whole units).
  QString windowLabel() const;

 signals:
  void windowChanged();    // centre, width or inversion changed: re-render pixels
  void geometryChanged();  // zoom, pan, rotation, flip changed: repaint only

 private:
  ImageValueStats stats_;
  std::vector<WindowPreset> file_windows_;
  double center_ = 128, width_ = 256;
  bool inverted_ = false;
  int rotation_ = 0;
  bool flip_h_ = false, flip_v_ = false;
  double zoom_ = 1.0;
  bool fit_ = true;
  double pan_x_ = 0, pan_y_ = 0;
  int image_width_ = 0, image_height_ = 0;
};

}  // namespace cxr::studio
