#include "vm/window_level.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace cxr::studio {
namespace {

constexpr size_t kMaxSortedValues = 1u << 20;
constexpr double kMinZoom = 0.05, kMaxZoom = 32.0;

// Value at fraction q (0..1) of a sorted sample.
double quantile(const std::vector<float>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<size_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}


// Window covering [lo + a*R, lo + b*R] of the robust range, mirrored for MONOCHROME1.
WindowPreset relative_window(const QString& name, const ImageValueStats& s, double center_fraction,
                             double width_fraction) {
  const double range = std::max(1.0, s.p_high - s.p_low);
  const double fraction = s.monochrome1 ? 1.0 - center_fraction : center_fraction;
  return {name, s.p_low + fraction * range, std::max(1.0, width_fraction * range)};
}

}  // namespace

ImageValueStats compute_value_stats(const std::vector<float>& values, bool monochrome1, bool hounsfield) {
  ImageValueStats stats;
  stats.monochrome1 = monochrome1;
  stats.hounsfield = hounsfield;
  if (values.empty()) return stats;
  const size_t stride = std::max<size_t>(1, values.size() / kMaxSortedValues);
  std::vector<float> sample;
  sample.reserve(values.size() / stride + 1);
  for (size_t i = 0; i < values.size(); i += stride) sample.push_back(values[i]);
  std::sort(sample.begin(), sample.end());
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  stats.min = *lo;
  stats.max = *hi;
  stats.p_low = quantile(sample, 0.005);
  stats.p_high = quantile(sample, 0.995);
  if (stats.p_high <= stats.p_low) {  // near-constant image: fall back to the full range
    stats.p_low = stats.min;
    stats.p_high = std::max(stats.min + 1.0, stats.max);
  }
  return stats;
}

WindowPreset preset_window(PresetId id, const ImageValueStats& s, const std::vector<WindowPreset>& file_windows) {
  switch (id) {
    case PresetId::kLung:
      return s.hounsfield ? WindowPreset{QCoreApplication::translate("cxr::studio::WindowLevel", "Lung"), -600, 1500} : relative_window(QCoreApplication::translate("cxr::studio::WindowLevel", "Lung"), s, 0.35, 0.60);
    case PresetId::kMediastinum:
      return s.hounsfield ? WindowPreset{QCoreApplication::translate("cxr::studio::WindowLevel", "Mediastinum"), 40, 350}
                          : relative_window(QCoreApplication::translate("cxr::studio::WindowLevel", "Mediastinum"), s, 0.65, 0.50);
    case PresetId::kBone:
      return s.hounsfield ? WindowPreset{QCoreApplication::translate("cxr::studio::WindowLevel", "Bone"), 400, 1800} : relative_window(QCoreApplication::translate("cxr::studio::WindowLevel", "Bone"), s, 0.80, 0.40);
    case PresetId::kFullRange:
      return {QCoreApplication::translate("cxr::studio::WindowLevel", "Full range"), (s.min + s.max) / 2, std::max(1.0, s.max - s.min)};
    case PresetId::kDefault:
      break;
  }
  if (!file_windows.empty()) return file_windows.front();
  return {QCoreApplication::translate("cxr::studio::WindowLevel", "Default"), (s.p_low + s.p_high) / 2, std::max(1.0, s.p_high - s.p_low)};
}

WindowLevelState::WindowLevelState(QObject* parent) : QObject(parent) {}

void WindowLevelState::setImage(const ImageValueStats& stats, std::vector<WindowPreset> file_windows, int width,
                                int height) {
  stats_ = stats;
  file_windows_ = std::move(file_windows);
  image_width_ = width;
  image_height_ = height;
  inverted_ = false;
  const WindowPreset w = preset_window(PresetId::kDefault, stats_, file_windows_);
  center_ = w.center;
  width_ = std::max(1.0, w.width);
  rotation_ = 0;
  flip_h_ = flip_v_ = false;
  fit_ = true;
  pan_x_ = pan_y_ = 0;
  emit windowChanged();
  emit geometryChanged();
}

void WindowLevelState::setWindow(double center, double width) {
  width = std::max(1.0, width);
  if (center == center_ && width == width_) return;
  center_ = center;
  width_ = width;
  emit windowChanged();
}

void WindowLevelState::applyPreset(PresetId id) {
  const WindowPreset w = preset_window(id, stats_, file_windows_);
  setWindow(w.center, w.width);
}

void WindowLevelState::applyFileWindow(int index) {
  if (index < 0 || index >= static_cast<int>(file_windows_.size())) return;
  setWindow(file_windows_[index].center, file_windows_[index].width);
}

void WindowLevelState::dragWindow(int dx, int dy) {
  const double step = std::max(1.0, stats_.p_high - stats_.p_low) / 500.0;
  setWindow(center_ + dy * step, width_ + dx * step);
}

void WindowLevelState::setInverted(bool on) {
  if (on == inverted_) return;
  inverted_ = on;
  emit windowChanged();
}

void WindowLevelState::rotateClockwise() {
  rotation_ = (rotation_ + 90) % 360;
  emit geometryChanged();
}

void WindowLevelState::rotateCounterClockwise() {
  rotation_ = (rotation_ + 270) % 360;
  emit geometryChanged();
}

void WindowLevelState::flipHorizontally() {
  flip_h_ = !flip_h_;
  emit geometryChanged();
}

void WindowLevelState::flipVertically() {
  flip_v_ = !flip_v_;
  emit geometryChanged();
}

void WindowLevelState::setFit() {
  fit_ = true;
  pan_x_ = pan_y_ = 0;
  emit geometryChanged();
}

void WindowLevelState::setOneToOne() {
  fit_ = false;
  zoom_ = 1.0;
  pan_x_ = pan_y_ = 0;
  emit geometryChanged();
}

void WindowLevelState::zoomBy(double factor) {
  if (!(factor > 0)) return;
  fit_ = false;
  zoom_ = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
  emit geometryChanged();
}

void WindowLevelState::setFitZoom(double zoom) {
  if (!fit_ || !(zoom > 0) || zoom == zoom_) return;
  zoom_ = std::clamp(zoom, kMinZoom, kMaxZoom);
  emit geometryChanged();
}

void WindowLevelState::panBy(double dx, double dy) {
  pan_x_ += dx;
  pan_y_ += dy;
  emit geometryChanged();
}

void WindowLevelState::resetGeometry() {
  rotation_ = 0;
  flip_h_ = flip_v_ = false;
  setFit();
}

QString WindowLevelState::windowLabel() const {
  return QCoreApplication::translate("cxr::studio::WindowLevel", "W %1  L %2")
      .arg(std::lround(width_))
      .arg(std::lround(center_));
}

}  // namespace cxr::studio
