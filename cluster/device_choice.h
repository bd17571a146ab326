// The `device` choice of train, eval and predict: auto, cpu or cuda (the device itself is picked with libtorch).
#pragma once

#include "cluster/choice.h"

namespace musictag {

enum class DeviceChoice { automatic, cpu, cuda };
inline constexpr ChoiceName<DeviceChoice> kDeviceChoiceNames[] = {
    {DeviceChoice::automatic, "auto"}, {DeviceChoice::cpu, "cpu"}, {DeviceChoice::cuda, "cuda"}};

}  // namespace musictag
