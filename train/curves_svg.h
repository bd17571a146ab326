// curves.svg: training/validation loss and validation macro ROC-AUC per epoch, two panels drawn as SVG text by hand.
#pragma once

#include <string>
#include <vector>

#include "train/train_log.h"

namespace musictag::train {

// A "nice" tick step for `span` with about `target` intervals: 1, 2 or 5 × 10^k, the smallest not below
// span / target; at least 1 when `integers` (epochs). 1 for a span that is not positive.
double nice_step(double span, int target, bool integers = false);

// The multiples of `step` in [min, max] (ends included up to rounding), increasing, each exactly k × step.
std::vector<double> ticks_between(double min, double max, double step);

// The SVG document: one panel per quantity (class "panel", data-title), each a plot rectangle (rect class "plot")
// holding grid lines and one polyline (class "series", data-name) with point markers per series; y tick labels
// (class "y-tick") left of the plot; x ticks on the epoch axis (line class "x-tick-mark", text class "x-tick") below
// it at nice_step values with the axis title "epoch"; the legend (rect class "legend" around a swatch and name per
// series) between the panel's title and its plot, so it never covers a line. NaN values (e.g. no validation AUC)
// leave gaps.
std::string curves_svg(const std::vector<EpochRecord>& epochs);

}  // namespace musictag::train
