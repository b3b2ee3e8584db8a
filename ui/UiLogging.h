#pragma once

#include <QLoggingCategory>

// The console's own category; the engine's areas are declared in core/Logging.h.
Q_DECLARE_LOGGING_CATEGORY(lcUi)
