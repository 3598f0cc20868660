#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that have their own main (SwiftPM names an executable's
/// entry point `<Target>_main`, so libFuzzer's own main cannot be used).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
