// ui/image_view.h — the radiograph viewer widget: renders a ViewerImage through WindowLevelState
// (window/level, inversion, zoom, pan, rotation, flips), the corner overlays, a scale bar from the
// pixel spacing and a finding's heatmap. Mouse: left drag = window/level, right/middle drag or
// Shift+left = pan, wheel = zoom, double click = fit. UI thread only.
#pragma once

#include "cxr/core/analyzer.h"
#include "vm/image_loader.h"
#include "vm/window_level.h"

#include <QImage>
#include <QPoint>
#include <QWidget>

#include <memory>

namespace cxr::studio {

class ImageView : public QWidget {
  Q_OBJECT
 public:
  explicit ImageView(WindowLevelState* state, QWidget* parent = nullptr);

  // image may be null (shows the "open a study" hint). position/count: "image 2 / 5" overlay.
  void setImage(std::shared_ptr<const ViewerImage> image, int position = 1, int count = 1);
  const ViewerImage* image() const { return image_.get(); }

  // values: (grid, grid) in [0,1] over the model's square input; box: where the image sits in it.
  void setHeatmap(const std::vector<float>& values, int grid, const cxr::core::ContentBox& box, const QString& label);
  void clearHeatmap();
  void setHeatmapOpacity(double opacity);  // 0..1
  double heatmapOpacity() const { return heatmap_opacity_; }
  void setOverlaysVisible(bool on);
  bool overlaysVisible() const { return overlays_visible_; }

  // The windowed image at full resolution, with the heatmap blended (for reports). Null if none.
  QImage renderKeyImage(int max_side = 1024) const;

  QSize sizeHint() const override { return {900, 900}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  enum class Drag { kNone, kWindow, kPan };
  void ensurePixels() const;
  QTransform imageToWidget() const;
  double fitZoom() const;
  void drawOverlays(QPainter& p) const;
  void drawScaleBar(QPainter& p) const;
  void drawHeatmap(QPainter& p, const QRectF& target) const;

  WindowLevelState* state_;
  std::shared_ptr<const ViewerImage> image_;
  int position_ = 1, count_ = 1;
  mutable QImage pixels_;        // windowed 8-bit gray, rebuilt lazily after windowChanged
  mutable bool pixels_dirty_ = true;
  QImage heatmap_;               // ARGB colour map of the grid (grid x grid), alpha from the value
  cxr::core::ContentBox heatmap_box_;
  QString heatmap_label_;
  double heatmap_opacity_ = 0.45;
  bool overlays_visible_ = true;
  Drag drag_ = Drag::kNone;
  QPoint last_mouse_;
};

// Jet-like colour map with alpha: value 0 transparent, rising to opaque at 1. values: (grid, grid).
QImage heatmap_to_image(const std::vector<float>& values, int grid);

}  // namespace cxr::studio
