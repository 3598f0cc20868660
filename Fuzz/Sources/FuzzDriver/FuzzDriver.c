// Header-only target: FuzzDriver.h declares libFuzzer's LLVMFuzzerRunDriver for Swift.
#include "FuzzDriver.h"
