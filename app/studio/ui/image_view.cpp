#include "ui/image_view.h"

#include "vm/study_list_model.h"

#include <QFileInfo>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace cxr::studio {
namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// Text with a dark outline so it stays readable on any part of a radiograph.
void draw_outlined_text(QPainter& p, const QRectF& rect, int flags, const QString& text, const QColor& colour) {
  p.setPen(QColor(0, 0, 0, 220));
  for (const auto& d : {QPointF(-1, 0), QPointF(1, 0), QPointF(0, -1), QPointF(0, 1), QPointF(1, 1)})
    p.drawText(rect.translated(d), flags, text);
  p.setPen(colour);
  p.drawText(rect, flags, text);
}

// Piecewise-linear jet: blue -> cyan -> green -> yellow -> red.
QRgb jet(float v, int alpha) {
  static constexpr float stops[5][3] = {{0, 0, 255}, {0, 255, 255}, {0, 255, 0}, {255, 255, 0}, {255, 0, 0}};
  const float x = std::clamp(v, 0.0f, 1.0f) * 4.0f;
  const int i = std::min(3, static_cast<int>(x));
  const float t = x - static_cast<float>(i);
  auto mix = [&](int c) { return static_cast<int>(stops[i][c] + t * (stops[i + 1][c] - stops[i][c])); };
  return qRgba(mix(0), mix(1), mix(2), alpha);
}

}  // namespace

QImage heatmap_to_image(const std::vector<float>& values, int grid) {
  if (grid <= 0 || values.size() < static_cast<size_t>(grid) * static_cast<size_t>(grid)) return {};
  QImage img(grid, grid, QImage::Format_ARGB32);  // not premultiplied: alpha set per pixel
  for (int y = 0; y < grid; ++y) {
    auto* row = reinterpret_cast<QRgb*>(img.scanLine(y));
    for (int x = 0; x < grid; ++x) {
      const float v = std::clamp(values[static_cast<size_t>(y) * grid + x], 0.0f, 1.0f);
      // Low evidence stays transparent so the anatomy is not hidden.
      const int alpha = static_cast<int>(255.0f * std::clamp((v - 0.15f) / 0.6f, 0.0f, 1.0f));
      row[x] = jet(v, alpha);
    }
  }
  return img;
}

ImageView::ImageView(WindowLevelState* state, QWidget* parent) : QWidget(parent), state_(state) {
  setMouseTracking(false);
  setFocusPolicy(Qt::StrongFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMinimumSize(320, 320);
  connect(state_, &WindowLevelState::windowChanged, this, [this] {
    pixels_dirty_ = true;
    update();
  });
  connect(state_, &WindowLevelState::geometryChanged, this, [this] { update(); });
}

void ImageView::setImage(std::shared_ptr<const ViewerImage> image, int position, int count) {
  image_ = std::move(image);
  position_ = position;
  count_ = count;
  clearHeatmap();
  if (image_) {
    state_->setImage(image_->stats, image_->file_windows, image_->pixels.width, image_->pixels.height);
    state_->setFitZoom(fitZoom());
  }
  pixels_dirty_ = true;
  update();
}

void ImageView::setHeatmap(const std::vector<float>& values, int grid, const cxr::core::ContentBox& box,
                           const QString& label) {
  heatmap_ = heatmap_to_image(values, grid);
  heatmap_box_ = box;
  heatmap_label_ = heatmap_.isNull() ? QString() : label;
  update();
}

void ImageView::clearHeatmap() {
  heatmap_ = QImage();
  heatmap_label_.clear();
  update();
}

void ImageView::setHeatmapOpacity(double opacity) {
  heatmap_opacity_ = std::clamp(opacity, 0.0, 1.0);
  update();
}

void ImageView::setOverlaysVisible(bool on) {
  overlays_visible_ = on;
  update();
}

void ImageView::ensurePixels() const {
  if (!pixels_dirty_ || !image_) return;
  const cxr::dicom::Image8 windowed =
      cxr::dicom::apply_window(image_->pixels, cxr::dicom::Window{state_->center(), state_->width(), {}});
  QImage img(windowed.width, windowed.height, QImage::Format_Grayscale8);
  for (int y = 0; y < windowed.height; ++y)
    std::copy_n(windowed.pixels.data() + static_cast<size_t>(y) * windowed.width, windowed.width, img.scanLine(y));
  if (state_->inverted()) img.invertPixels();
  pixels_ = std::move(img);
  pixels_dirty_ = false;
}

double ImageView::fitZoom() const {
  if (!image_) return 1.0;
  const bool swapped = state_->rotation() % 180 != 0;
  const double iw = swapped ? image_->pixels.height : image_->pixels.width;
  const double ih = swapped ? image_->pixels.width : image_->pixels.height;
  return std::min(width() / iw, height() / ih);
}

QTransform ImageView::imageToWidget() const {
  QTransform t;
  if (!image_) return t;
  const double zoom = state_->fitToView() ? fitZoom() : state_->zoom();
  t.translate(width() / 2.0 + state_->panX(), height() / 2.0 + state_->panY());
  t.rotate(state_->rotation());
  t.scale(zoom * (state_->flippedHorizontally() ? -1 : 1), zoom * (state_->flippedVertically() ? -1 : 1));
  t.translate(-image_->pixels.width / 2.0, -image_->pixels.height / 2.0);
  return t;
}

void ImageView::drawHeatmap(QPainter& p, const QRectF& target) const {
  if (heatmap_.isNull() || heatmap_opacity_ <= 0) return;
  const double g = heatmap_.width();
  // The heatmap covers the model's square input; the image occupies content_box of it.
  const QRectF source(heatmap_box_.x0 * g, heatmap_box_.y0 * g, (heatmap_box_.x1 - heatmap_box_.x0) * g,
                      (heatmap_box_.y1 - heatmap_box_.y0) * g);
  p.save();
  p.setOpacity(heatmap_opacity_);
  p.setRenderHint(QPainter::SmoothPixmapTransform, true);
  p.drawImage(target, heatmap_, source);
  p.restore();
}

void ImageView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::black);
  QFont font = p.font();
  font.setPixelSize(std::max(14, std::min(20, height() / 48)));
  p.setFont(font);
  if (!image_) {
    draw_outlined_text(p, QRectF(rect()), Qt::AlignCenter | Qt::TextWordWrap,
                       tr("No image.\nOpen a file, a folder or a DICOMDIR (Ctrl+O), or query a PACS."), QColor(200, 200, 200));
    return;
  }
  ensurePixels();
  if (state_->fitToView()) state_->setFitZoom(fitZoom());
  p.save();
  p.setTransform(imageToWidget());
  const double zoom = state_->fitToView() ? fitZoom() : state_->zoom();
  p.setRenderHint(QPainter::SmoothPixmapTransform, zoom < 4.0);  // nearest neighbour when magnified
  const QRectF image_rect(0, 0, pixels_.width(), pixels_.height());
  p.drawImage(image_rect, pixels_);
  drawHeatmap(p, image_rect);
  p.restore();
  if (overlays_visible_) {
    drawOverlays(p);
    drawScaleBar(p);
  }
}

void ImageView::drawOverlays(QPainter& p) const {
  const auto& m = image_->meta;
  const int margin = 10;
  const QRectF area = QRectF(rect()).adjusted(margin, margin, -margin, -margin);
  const QColor text(255, 255, 210);
  auto join = [](QStringList parts, const QString& sep) {
    parts.removeAll(QString());
    return parts.join(sep);
  };
  QStringList top_left, top_right, bottom_left, bottom_right;
  if (m.is_dicom) {
    top_left << format_person_name(qs(m.patient_name)) << join({qs(m.patient_id)}, {})
             << join({qs(m.patient_sex), qs(m.patient_age)}, QStringLiteral(" / "));
    top_right << join({format_dicom_date(qs(m.study_date))}, {}) << qs(m.study_description) << qs(m.institution);
    bottom_left << join({qs(m.modality), qs(m.view_position), qs(m.laterality), qs(m.body_part)}, QStringLiteral(" "));
  } else {
    top_left << QFileInfo(image_->path).fileName();
  }
  bottom_left << tr("%1 × %2 px").arg(image_->pixels.width).arg(image_->pixels.height);
  if (count_ > 1) bottom_left << tr("Image %1 / %2").arg(position_).arg(count_);
  const double zoom = state_->fitToView() ? fitZoom() : state_->zoom();
  bottom_right << state_->windowLabel() << tr("Zoom %1%").arg(std::lround(zoom * 100));
  if (state_->inverted()) bottom_right << tr("Inverted");
  if (state_->rotation() != 0) bottom_right << tr("Rotated %1°").arg(state_->rotation());
  if (state_->flippedHorizontally() || state_->flippedVertically()) bottom_right << tr("Flipped");
  if (!heatmap_label_.isEmpty()) top_right << heatmap_label_;
  for (auto* list : {&top_left, &top_right, &bottom_left, &bottom_right}) list->removeAll(QString());
  draw_outlined_text(p, area, Qt::AlignLeft | Qt::AlignTop, top_left.join(QLatin1Char('\n')), text);
  draw_outlined_text(p, area, Qt::AlignRight | Qt::AlignTop, top_right.join(QLatin1Char('\n')), text);
  draw_outlined_text(p, area, Qt::AlignLeft | Qt::AlignBottom, bottom_left.join(QLatin1Char('\n')), text);
  draw_outlined_text(p, area, Qt::AlignRight | Qt::AlignBottom, bottom_right.join(QLatin1Char('\n')), text);
}

void ImageView::drawScaleBar(QPainter& p) const {
  const auto& spacing = image_->meta.pixel_spacing_mm;
  if (!spacing || spacing->first <= 0 || spacing->second <= 0) return;
  const double zoom = state_->fitToView() ? fitZoom() : state_->zoom();
  // Horizontal on screen = image columns unless rotated by 90/270 degrees.
  const double mm_per_image_px = state_->rotation() % 180 == 0 ? spacing->second : spacing->first;
  const double screen_px_per_mm = zoom / mm_per_image_px;
  double length_mm = 1;
  for (double candidate : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0})
    if (candidate * screen_px_per_mm <= width() / 4.0) length_mm = candidate;
  const double length_px = length_mm * screen_px_per_mm;
  const QFontMetrics fm(p.font());
  const double x0 = (width() - length_px) / 2.0, y = height() - 12 - fm.height() / 2.0;
  QPen pen(QColor(255, 255, 210), 2);
  for (int pass = 0; pass < 2; ++pass) {  // dark halo first, then the bar
    pen.setColor(pass == 0 ? QColor(0, 0, 0, 220) : QColor(255, 255, 210));
    pen.setWidthF(pass == 0 ? 4.0 : 2.0);
    p.setPen(pen);
    p.drawLine(QPointF(x0, y), QPointF(x0 + length_px, y));
    p.drawLine(QPointF(x0, y - 6), QPointF(x0, y + 6));
    p.drawLine(QPointF(x0 + length_px, y - 6), QPointF(x0 + length_px, y + 6));
  }
  const QString label = length_mm >= 10 ? tr("%1 cm").arg(length_mm / 10.0) : tr("%1 mm").arg(length_mm);
  draw_outlined_text(p, QRectF(x0 - 50, y - fm.height() - 8, length_px + 100, fm.height()), Qt::AlignCenter, label,
                     QColor(255, 255, 210));
}

QImage ImageView::renderKeyImage(int max_side) const {
  if (!image_) return {};
  ensurePixels();
  QImage out = pixels_.convertToFormat(QImage::Format_RGB32);
  {
    QPainter p(&out);
    drawHeatmap(p, QRectF(0, 0, out.width(), out.height()));
  }
  if (std::max(out.width(), out.height()) > max_side)
    out = out.scaled(max_side, max_side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
  QTransform t;  // the reader's orientation: rotation and flips as displayed
  t.rotate(state_->rotation());
  t.scale(state_->flippedHorizontally() ? -1 : 1, state_->flippedVertically() ? -1 : 1);
  return t.isIdentity() ? out : out.transformed(t, Qt::SmoothTransformation);
}

void ImageView::mousePressEvent(QMouseEvent* event) {
  last_mouse_ = event->position().toPoint();
  if (event->button() == Qt::LeftButton && !(event->modifiers() & Qt::ShiftModifier))
    drag_ = Drag::kWindow;
  else
    drag_ = Drag::kPan;
  setFocus();
}

void ImageView::mouseMoveEvent(QMouseEvent* event) {
  if (!image_ || drag_ == Drag::kNone) return;
  const QPoint pos = event->position().toPoint();
  const QPoint d = pos - last_mouse_;
  last_mouse_ = pos;
  if (drag_ == Drag::kWindow)
    state_->dragWindow(d.x(), d.y());
  else
    state_->panBy(d.x(), d.y());
}

void ImageView::mouseReleaseEvent(QMouseEvent*) { drag_ = Drag::kNone; }

void ImageView::mouseDoubleClickEvent(QMouseEvent*) { state_->setFit(); }

void ImageView::wheelEvent(QWheelEvent* event) {
  if (!image_) return;
  if (state_->fitToView()) state_->setFitZoom(fitZoom());
  const double steps = event->angleDelta().y() / 120.0;
  state_->zoomBy(std::pow(1.15, steps));
}

void ImageView::resizeEvent(QResizeEvent*) {
  if (state_->fitToView()) state_->setFitZoom(fitZoom());
}

}  // namespace cxr::studio
