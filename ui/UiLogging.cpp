#include "UiLogging.h"

Q_LOGGING_CATEGORY(lcUi, "batchdeck.ui", QtInfoMsg)
