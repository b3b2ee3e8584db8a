#include "Logging.h"

Q_LOGGING_CATEGORY(lcStore, "batchdeck.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProvider, "batchdeck.provider", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSimulator, "batchdeck.simulator", QtInfoMsg)
Q_LOGGING_CATEGORY(lcService, "batchdeck.service", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "batchdeck.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCli, "batchdeck.cli", QtInfoMsg)
